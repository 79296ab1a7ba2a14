import { act, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import {
  BrownoutProvider,
  useCanWrite,
  useDegradation,
  useDependency,
  useOutbox,
  useRetryCountdown,
} from '../../src/entries/react.js';
import { type Brownout, createClient, createVirtualClock } from '../../src/index.js';

const make = () => {
  const clock = createVirtualClock(0);
  const client = createClient({
    clock,
    fetch: async () => new Response(null, { status: 503 }),
    outbox: { storage: 'memory' },
    dependencies: {
      pricing: { retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 1, openMs: 12_000 } },
      reviews: { criticality: 'optional' },
      orders: {
        writes: 'queue',
        retry: { maxAttempts: 1 },
        breaker: { consecutiveFailures: 1, openMs: 12_000 },
      },
    },
  });
  return { clock, client };
};

const renders = { pricing: 0, reviews: 0, app: 0 };
function Dep({ name }: { name: 'pricing' | 'reviews' }) {
  renders[name]++;
  return <span>{`${name}: ${useDependency(name)?.health}`}</span>;
}
function Level() {
  renders.app++;
  return <span>{`level: ${useDegradation()}`}</span>;
}
function Feature() {
  return <span>{useDegradation(['reviews'])}</span>;
}
function Modes() {
  return <span>{`${useCanWrite('pricing').mode} ${useCanWrite('orders').mode}`}</span>;
}
function Countdown() {
  const c = useRetryCountdown('pricing');
  return <span>{c ? `Retrying in ${c.secondsLeft} s` : 'up'}</span>;
}
function Waiting() {
  const { summary, entries, persistence } = useOutbox('orders');
  return <span>{`${summary.queued} waiting (${entries.length}) in ${persistence}`}</span>;
}
function All() {
  return (
    <span>{`${useDegradation()} ${useDependency('pricing')?.health} ${useCanWrite('orders').mode}`}</span>
  );
}
function Lonely() {
  useDegradation();
  return null;
}
const withClient = (client: Brownout, children: React.ReactNode) => (
  <BrownoutProvider client={client}>{children}</BrownoutProvider>
);

test('a change to one dependency re-renders only the components that read it', async () => {
  const { client } = make();
  render(
    withClient(
      client,
      <>
        <Dep name="pricing" />
        <Dep name="reviews" />
        <Level />
      </>,
    ),
  );
  const before = { ...renders };
  await act(() => client.fetch('pricing', 'https://p.test/').catch(() => {}));
  expect(screen.getByText('pricing: down')).toBeInTheDocument();
  // Nothing of pricing was ever had: down, there is nothing to show from a cache.
  expect(screen.getByText('level: maintenance')).toBeInTheDocument();
  expect(renders.reviews).toBe(before.reviews);
  expect(renders.pricing).toBeGreaterThan(before.pricing);
});

test("useDegradation for a list of dependencies gives that feature's level", async () => {
  const { client } = make();
  render(withClient(client, <Feature />));
  await act(() => client.fetch('pricing', 'https://p.test/').catch(() => {}));
  expect(screen.getByText('normal')).toBeInTheDocument();
  act(() => client.breaker('reviews').isolate());
  expect(screen.getByText('partial')).toBeInTheDocument();
});

test('useCanWrite: send when up, queue when a queue dependency is down, blocked otherwise', () => {
  const { client } = make();
  render(withClient(client, <Modes />));
  expect(screen.getByText('send send')).toBeInTheDocument();
  act(() => {
    client.breaker('pricing').isolate();
    client.breaker('orders').isolate();
  });
  expect(screen.getByText('blocked queue')).toBeInTheDocument();
});

test('useRetryCountdown ticks each second on the client clock, and leaves no timer after unmount', async () => {
  const { client, clock } = make();
  const view = render(<StrictMode>{withClient(client, <Countdown />)}</StrictMode>);
  expect(screen.getByText('up')).toBeInTheDocument();
  await act(() => client.fetch('pricing', 'https://p.test/').catch(() => {}));
  expect(screen.getByText('Retrying in 12 s')).toBeInTheDocument();
  await act(() => clock.advanceAsync(1_000));
  expect(screen.getByText('Retrying in 11 s')).toBeInTheDocument();
  await act(() => clock.advanceAsync(10_500));
  expect(screen.getByText('Retrying in 1 s')).toBeInTheDocument();
  view.unmount();
  client.dispose();
  expect(clock.pending).toBe(0);
});

test('useOutbox counts the queued writes and says where they are kept', async () => {
  const { client } = make();
  render(withClient(client, <Waiting />));
  await act(async () => {
    await client.outbox!.ready;
  });
  await act(() => client.fetch('orders', 'https://o.test/orders', { method: 'POST', body: '{}' }));
  expect(screen.getByText('1 waiting (1) in memory')).toBeInTheDocument();
});

test('hooks render on the server', () => {
  const { client } = make();
  expect(renderToString(withClient(client, <All />))).toContain('normal healthy send');
});

test('hooks outside a provider say what is wrong', () => {
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
  expect(() => render(<Lonely />)).toThrow(/no <BrownoutProvider/);
  quiet.mockRestore();
});
