import {
  createClient,
  createVirtualClock,
  type DegradationState,
  selectDependency,
  selectFreshness,
  selectLevel,
  selectLevelOf,
} from '../../src/index.js';
import { isPastMaxStale, shallowEqual, TRANSITIONS_KEPT, watch } from '../../src/store/index.js';
import { fakeFetch } from '../helpers/fakeFetch.js';

const setup = (pricing: Parameters<typeof fakeFetch>, settleMs = 5_000) => {
  const clock = createVirtualClock(0);
  const fakes = { pricing: fakeFetch(...pricing), reviews: fakeFetch(200) };
  const client = createClient({
    clock,
    fetch: (input, init) =>
      (String(input).includes('reviews') ? fakes.reviews : fakes.pricing).fetch(input, init),
    store: { settleMs },
    dependencies: {
      pricing: {
        baseUrl: 'https://a.test/pricing',
        retry: { maxAttempts: 1 },
        breaker: { consecutiveFailures: 2, openMs: 10_000 },
      },
      reviews: { baseUrl: 'https://a.test/reviews', criticality: 'optional', retry: { maxAttempts: 1 } },
      auth: { baseUrl: 'https://a.test/auth', criticality: 'critical' },
    },
  });
  return { clock, client, store: client.store };
};

test('starts normal, with every dependency healthy', () => {
  const { store } = setup([200]);
  const s = store.getState();
  expect(s.level).toBe('normal');
  expect(Object.keys(s.dependencies)).toEqual(['pricing', 'reviews', 'auth']);
  expect(s.dependencies.auth).toMatchObject({
    health: 'healthy',
    breaker: 'closed',
    level: 'normal',
    criticality: 'critical',
  });
});

test('1 000 requests to a healthy dependency: no store change after the first', async () => {
  const { client, store } = setup([() => new Response('{}')]);
  const listener = vi.fn();
  await (await client.fetch('pricing', '/p')).text();
  store.subscribe(listener);
  for (let i = 0; i < 1_000; i++) await (await client.fetch('pricing', '/p')).text();
  expect(listener).toHaveBeenCalledTimes(0);
});

test('the store changes when a breaker opens: health down, level cached, app level cached', async () => {
  const { client, store } = setup([() => new Response('{}'), 503]);
  const levels: string[] = [];
  await (await client.fetch('pricing', '/p')).text(); // a value to show: down, it is `cached`
  watch(store, selectLevel, (l) => levels.push(l));
  await client.fetch('pricing', '/p').catch(() => {});
  await client.fetch('pricing', '/p').catch(() => {});
  expect(selectDependency('pricing')(store.getState())).toMatchObject({
    health: 'down',
    breaker: 'open',
    retryAt: 10_000,
    level: 'cached',
    lastError: expect.objectContaining({ status: 503 }),
  });
  expect(levels).toEqual(['cached']);
});

test('a watcher of one dependency is not called for another', async () => {
  const { client, store } = setup([503]);
  const reviews = vi.fn();
  watch(store, selectDependency('reviews'), reviews);
  await client.fetch('pricing', '/p').catch(() => {});
  await client.fetch('pricing', '/p').catch(() => {});
  expect(reviews).not.toHaveBeenCalled();
  expect(store.getState().dependencies.reviews).toBe(store.getState().dependencies.reviews);
});

test('per-feature levels: a page that uses only reviews is normal while pricing is down', async () => {
  const { client, store } = setup([() => new Response('{}'), 503]);
  await (await client.fetch('pricing', '/p')).text(); // a value to show: down, it is `cached`
  await client.fetch('pricing', '/p').catch(() => {});
  await client.fetch('pricing', '/p').catch(() => {});
  expect(selectLevelOf(['reviews'])(store.getState())).toBe('normal');
  expect(selectLevelOf(['reviews', 'pricing'])(store.getState())).toBe('cached');
});

test('a recovered dependency returns to normal only after settleMs (no flicker)', async () => {
  const { client, store, clock } = setup([() => new Response('{}'), 503, 503, 200], 5_000);
  await (await client.fetch('pricing', '/p')).text(); // a value to show: down, it is `cached`
  await client.fetch('pricing', '/p').catch(() => {});
  await client.fetch('pricing', '/p').catch(() => {});
  await clock.advanceAsync(10_000);
  await (await client.fetch('pricing', '/p')).text();
  const s = store.getState().dependencies.pricing!;
  expect([s.health, s.breaker, s.level]).toEqual(['healthy', 'closed', 'cached']);
  await clock.advanceAsync(4_999);
  expect(store.getState().level).toBe('cached');
  await clock.advanceAsync(1);
  expect(store.getState().level).toBe('normal');
  expect(clock.pending).toBe(0);
});

test('transitions: each change of health or level is logged once, with when; breakerSince follows the breaker', async () => {
  const { client, store, clock } = setup([() => new Response('{}'), 503, 503, 200], 5_000);
  await (await client.fetch('pricing', '/p')).text(); // a value to show: down, it is `cached`
  expect(store.getState().transitions).toEqual([]);
  expect(store.getState().dependencies.pricing!.breakerSince).toBe(0);
  await clock.advanceAsync(1_000);
  await client.fetch('pricing', '/p').catch(() => {});
  await client.fetch('pricing', '/p').catch(() => {});
  expect(store.getState().dependencies.pricing!.breakerSince).toBe(1_000);
  await clock.advanceAsync(10_000);
  await (await client.fetch('pricing', '/p')).text();
  expect(store.getState().dependencies.pricing).toMatchObject({ breaker: 'closed', breakerSince: 11_000 });
  await clock.advanceAsync(5_000);
  expect(store.getState().transitions).toEqual([
    {
      at: 1_000,
      dependency: 'pricing',
      from: { health: 'healthy', level: 'normal' },
      to: { health: 'down', level: 'cached' },
    },
    {
      at: 11_000,
      dependency: 'pricing',
      from: { health: 'down', level: 'cached' },
      to: { health: 'healthy', level: 'cached' },
    },
    {
      at: 16_000,
      dependency: 'pricing',
      from: { health: 'healthy', level: 'cached' },
      to: { health: 'healthy', level: 'normal' },
    },
  ]);
});

test('the transition log keeps the newest TRANSITIONS_KEPT', async () => {
  const { client, store, clock } = setup([503]);
  for (let i = 0; i < 30; i++) {
    client.breaker('reviews').isolate();
    await client.fetch('reviews', '/r').catch(() => {});
    client.breaker('reviews').reset();
    await clock.advanceAsync(5_000);
    await client.fetch('reviews', '/r');
  }
  const { transitions } = store.getState();
  expect(transitions).toHaveLength(TRANSITIONS_KEPT);
  expect(transitions.at(-1)!.at).toBeGreaterThan(transitions[0]!.at);
});

test('a relapse during the settle time keeps the level and cancels the pending recovery', async () => {
  const { client, store, clock } = setup([() => new Response('{}'), 503, 503, 200, 503, 503], 5_000);
  await (await client.fetch('pricing', '/p')).text(); // a value to show: down, it is `cached`
  await client.fetch('pricing', '/p').catch(() => {});
  await client.fetch('pricing', '/p').catch(() => {});
  await clock.advanceAsync(10_000);
  await client.fetch('pricing', '/p');
  await client.fetch('pricing', '/p').catch(() => {});
  await client.fetch('pricing', '/p').catch(() => {});
  expect(store.getState().dependencies.pricing!.breaker).toBe('open');
  await clock.advanceAsync(5_000);
  expect(store.getState().level).toBe('cached');
});

test('optional down → partial; critical down → maintenance', async () => {
  const clock = createVirtualClock(0);
  const client = createClient({
    clock,
    fetch: fakeFetch(503).fetch,
    dependencies: { reviews: { criticality: 'optional' }, auth: { criticality: 'critical' } },
  });
  client.breaker('reviews').isolate();
  expect(client.store.getState().level).toBe('partial');
  client.breaker('auth').isolate();
  expect(client.store.getState().level).toBe('maintenance');
});

test('freshness is written when a value comes from the cache, and when it is fresh again', async () => {
  const { client, store, clock } = setup([() => new Response('[1]'), 503, () => new Response('[2]')]);
  const keys: (DegradationState['freshness'][string] | undefined)[] = [];
  watch(store, selectFreshness('GET https://a.test/pricing/p'), (f) => keys.push(f));
  await (await client.fetch('pricing', '/p')).text();
  await clock.advanceAsync(60_000);
  await client.fetch('pricing', '/p');
  expect(store.getState().freshness['GET https://a.test/pricing/p']).toEqual({
    key: 'GET https://a.test/pricing/p',
    dependency: 'pricing',
    source: 'cache',
    fetchedAt: 0,
    staleAt: 86_400_000,
  });
  expect(isPastMaxStale(keys.at(-1)!, clock.now())).toBe(false);
  expect(isPastMaxStale(keys.at(-1)!, 86_400_000)).toBe(true);
  await clock.advanceAsync(10_000);
  await (await client.fetch('pricing', '/p')).text();
  expect(keys.map((k) => k?.source)).toEqual(['network', 'cache', 'network']);
});

test('dispose unsubscribes the store and stops its timers', async () => {
  const { client, store, clock } = setup([503, 503, 200]);
  await client.fetch('pricing', '/p').catch(() => {});
  await client.fetch('pricing', '/p').catch(() => {});
  await clock.advanceAsync(10_000);
  await client.fetch('pricing', '/p');
  expect(clock.pending).toBe(1);
  client.dispose();
  expect(clock.pending).toBe(0);
  const listener = vi.fn();
  store.subscribe(listener);
  client.breaker('pricing').isolate();
  expect(listener).not.toHaveBeenCalled();
});

test('shallowEqual: same keys and values, arrays by their items, anything else by identity', () => {
  expect(shallowEqual({ a: 1, b: ['x', 'y'] }, { a: 1, b: ['x', 'y'] })).toBe(true);
  expect(shallowEqual({ a: 1, b: ['x'] }, { a: 1, b: ['y'] })).toBe(false);
  expect(shallowEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  expect(shallowEqual({ a: { n: 1 } }, { a: { n: 1 } })).toBe(false);
  expect(shallowEqual(undefined, undefined)).toBe(true);
  expect(shallowEqual(undefined, {})).toBe(false);
  expect(shallowEqual(null, null)).toBe(true);
});

test('down with nothing to show is maintenance, not cached; once a value was had, it is cached', async () => {
  const { client, store } = setup([503, () => new Response('{}'), 503], 0);
  await client.fetch('pricing', '/p').catch(() => {});
  client.breaker('pricing').isolate();
  expect(store.getState().dependencies.pricing?.level).toBe('maintenance'); // no "may be out of date" for nothing
  client.breaker('pricing').reset();
  await (await client.fetch('pricing', '/p')).text();
  client.breaker('pricing').isolate();
  expect(store.getState().dependencies.pricing?.level).toBe('cached');
});
