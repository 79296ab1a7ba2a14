import { act, render } from '@testing-library/react';
import { StrictMode } from 'react';
import {
  BrownoutProvider,
  DegradationBanner,
  DependencyHealthPanel,
  QueuedWritesIndicator,
  StaleDataNotice,
  useDependency,
} from '../../src/entries/react.js';
import { createClient, createVirtualClock } from '../../src/index.js';

const names = Array.from({ length: 100 }, (_, i) => `dep${i}`);
const renders = new Map<string, number>();
function Reader({ name }: { name: string }) {
  renders.set(name, (renders.get(name) ?? 0) + 1);
  return <span>{useDependency(name)?.health}</span>;
}

test('100 dependencies, 100 components: a change to one re-renders exactly one', async () => {
  const client = createClient({
    clock: createVirtualClock(0),
    shareHealth: false,
    fetch: async () => new Response(null, { status: 503 }),
    dependencies: Object.fromEntries(
      names.map((n) => [
        n,
        { criticality: 'optional' as const, retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 1 } },
      ]),
    ),
  });
  render(
    <BrownoutProvider client={client}>
      {names.map((n) => (
        <Reader key={n} name={n} />
      ))}
    </BrownoutProvider>,
  );
  renders.clear();
  await act(() => client.fetch('dep42', 'https://a.test/x').catch(() => {}));
  expect([...renders.keys()]).toEqual(['dep42']); // (once per store change it makes: breaker, then error)
  client.dispose();
});

test('StrictMode: every kit component subscribes once and leaves nothing behind', async () => {
  const clock = createVirtualClock(0);
  const client = createClient({
    clock,
    shareHealth: false,
    outbox: { storage: 'memory' },
    fetch: async () => new Response(null, { status: 503 }),
    dependencies: {
      pricing: { retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 1 } },
      orders: { writes: 'queue', retry: { maxAttempts: 1 } },
    },
  });
  let live = 0;
  const subscribe = client.store.subscribe;
  client.store.subscribe = (listener) => {
    live++;
    const off = subscribe(listener);
    return () => {
      live--;
      off();
    };
  };
  const view = render(
    <StrictMode>
      <BrownoutProvider client={client}>
        <DegradationBanner onRetry={() => {}} />
        <StaleDataNotice dependency="pricing" />
        <QueuedWritesIndicator />
        <DependencyHealthPanel />
      </BrownoutProvider>
    </StrictMode>,
  );
  await act(() => client.fetch('pricing', 'https://a.test/x').catch(() => {}));
  const mounted = live;
  expect(mounted).toBeGreaterThan(0);
  expect(mounted).toBeLessThanOrEqual(12); // one per hook, not two per StrictMode double mount
  view.unmount();
  expect(live).toBe(0);
  client.dispose();
  expect(clock.pending).toBe(0); // the components' tickers were cleared on unmount, the client's by dispose
});
