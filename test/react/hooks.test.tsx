import { act, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import {
  BrownoutProvider,
  useCanWrite,
  useDegradation,
  useDependency,
  useOutbox,
  useQueuedWrite,
  useRetryCountdown,
} from '../../src/entries/react.js';
import { type Brownout, createClient, createVirtualClock, getQueuedWrite } from '../../src/index.js';

const make = (fetch: typeof globalThis.fetch = async () => new Response(null, { status: 503 })) => {
  const clock = createVirtualClock(0);
  const client = createClient({
    clock,
    fetch,
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
function Attention() {
  const { summary } = useOutbox();
  return <span>{`${summary.needsAuth} to sign in for, ${summary.queued} waiting`}</span>;
}
function Write({ write }: { write: Parameters<typeof useQueuedWrite>[0] }) {
  return <span>{`write: ${useQueuedWrite(write) ?? 'none'}`}</span>;
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

test('useOutbox counts writes waiting for sign-in (needs-auth), over all dependencies', async () => {
  let status = 503;
  const { client, clock } = make(async () => new Response(null, { status }));
  render(withClient(client, <Attention />));
  await act(() => client.fetch('orders', 'https://o.test/orders', { method: 'POST', body: '{}' }));
  expect(screen.getByText('0 to sign in for, 1 waiting')).toBeInTheDocument();
  // The session ended while orders was down: the replay is refused with 401 and waits for resume().
  status = 401;
  await act(() => clock.advanceAsync(12_000));
  expect(screen.getByText('1 to sign in for, 0 waiting')).toBeInTheDocument();
});

/** Wraps `outbox.watch` to count the subscriptions that are live. */
const countWatches = (client: Brownout) => {
  const outbox = client.outbox!;
  const watch = outbox.watch.bind(outbox);
  const live = new Set<object>();
  const spy = vi.spyOn(outbox, 'watch').mockImplementation((id, listener) => {
    const token = {};
    live.add(token);
    const off = watch(id, listener);
    return () => {
      live.delete(token);
      off();
    };
  });
  return { live, spy };
};

test('useQueuedWrite: none without a write; one subscription per write, kept across renders, gone on unmount', () => {
  const { client } = make();
  const { live, spy } = countWatches(client);
  const view = render(<StrictMode>{withClient(client, <Write write={undefined} />)}</StrictMode>);
  expect(screen.getByText('write: none')).toBeInTheDocument();
  view.rerender(<StrictMode>{withClient(client, <Write write={null} />)}</StrictMode>);
  expect(spy).not.toHaveBeenCalled();

  // StrictMode subscribes, unsubscribes and subscribes again: one is left.
  view.rerender(<StrictMode>{withClient(client, <Write write={{ id: 'w1' }} />)}</StrictMode>);
  expect(live.size).toBe(1);
  // A write this outbox never knew has no state.
  expect(screen.getByText('write: none')).toBeInTheDocument();
  const calls = spy.mock.calls.length;
  // The same write as a new object, then as its id: the subscription stays.
  view.rerender(<StrictMode>{withClient(client, <Write write={{ id: 'w1' }} />)}</StrictMode>);
  view.rerender(<StrictMode>{withClient(client, <Write write="w1" />)}</StrictMode>);
  expect(spy.mock.calls.length).toBe(calls);
  expect(spy.mock.calls.every(([id]) => id === 'w1')).toBe(true);

  view.rerender(<StrictMode>{withClient(client, <Write write="w2" />)}</StrictMode>);
  expect(live.size).toBe(1);
  expect(spy).toHaveBeenLastCalledWith('w2', expect.any(Function));
  view.rerender(<StrictMode>{withClient(client, <Write write={undefined} />)}</StrictMode>);
  expect(live.size).toBe(0);
  view.rerender(<StrictMode>{withClient(client, <Write write="w3" />)}</StrictMode>);
  view.unmount();
  expect(live.size).toBe(0);
});

test('useQueuedWrite follows a write through the outbox: queued, then discarded', async () => {
  const { client } = make();
  const response = await client.fetch('orders', 'https://o.test/orders', { method: 'POST', body: '{}' });
  const { entry } = getQueuedWrite(response)!;
  render(<StrictMode>{withClient(client, <Write write={entry} />)}</StrictMode>);
  expect(screen.getByText('write: queued')).toBeInTheDocument();
  await act(() => client.outbox!.discard(entry.id));
  expect(screen.getByText('write: discarded')).toBeInTheDocument();
  expect(client.outbox!.state(entry.id)).toBe('discarded');
});

test('hooks render on the server', async () => {
  const { client } = make();
  expect(renderToString(withClient(client, <All />))).toContain('normal healthy send');
  const response = await client.fetch('orders', 'https://o.test/orders', { method: 'POST', body: '{}' });
  const { entry } = getQueuedWrite(response)!;
  expect(renderToString(withClient(client, <Write write={entry} />))).toContain('write: queued');
});

test('hooks outside a provider say what is wrong', () => {
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
  expect(() => render(<Lonely />)).toThrow(/no <BrownoutProvider/);
  quiet.mockRestore();
});
