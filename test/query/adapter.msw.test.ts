// @vitest-environment node
// The real query-core, MSW in Node, the real fetch, Brownout on the virtual clock.
import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { createClient, createSeededRandom, createVirtualClock } from '../../src/index.js';
import {
  bindQueryClient,
  createMutationFn,
  createQueryFn,
  isQueuedMutation,
  queuedMutationOptions,
} from '../../src/query/index.js';

const API = 'https://shop.test';
let mode: 'up' | 'down' | 'busy' = 'up';
const hits = new Map<string, number>();
const effects = new Set<string>();
const server = setupServer(
  http.get(`${API}/:thing`, ({ params }) => {
    const path = String(params.thing);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (mode === 'busy') return new HttpResponse(null, { status: 429, headers: { 'retry-after': '20' } });
    return mode === 'up'
      ? HttpResponse.json({ path, n: hits.get(path) })
      : new HttpResponse(null, { status: 503 });
  }),
  http.post(`${API}/orders`, ({ request }) => {
    hits.set('POST orders', (hits.get('POST orders') ?? 0) + 1);
    if (mode === 'down') return new HttpResponse(null, { status: 503 });
    effects.add(request.headers.get('idempotency-key') ?? 'none');
    return HttpResponse.json({ id: effects.size }, { status: 201 });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  mode = 'up';
  hits.clear();
  effects.clear();
});
afterAll(() => server.close());

const setup = (reads: 'cache' | 'none' = 'none') => {
  const clock = createVirtualClock(Date.UTC(2026, 10, 28, 12));
  const client = createClient({
    clock,
    random: createSeededRandom(1),
    dependencies: {
      pricing: {
        baseUrl: API,
        reads,
        retry: { baseMs: 1, capMs: 2 },
        breaker: { consecutiveFailures: 3, openMs: 30_000 },
      },
      orders: {
        baseUrl: API,
        writes: 'queue',
        retry: { maxAttempts: 1 },
        breaker: { consecutiveFailures: 1, openMs: 30_000 },
      },
    },
    outbox: { storage: 'memory', backoff: { baseMs: 1, capMs: 2 } },
  });
  const queryClient = new QueryClient();
  const unbind = bindQueryClient(queryClient, client, {
    random: createSeededRandom(2),
    refetchSpreadMs: 1_000,
  });
  // Drives the virtual clock until `p` settles.
  const settle = async <T>(p: Promise<T>): Promise<T> => {
    let done = false;
    const s = p.finally(() => {
      done = true;
    });
    s.catch(() => {});
    // Real I/O (MSW) and virtual timers interleave: flush, then fire the next timer, until it settles.
    for (let idle = 0; !done && idle < 200; ) {
      await clock.flush();
      if (done) break;
      if (!(await clock.next())) idle++;
    }
    return s;
  };
  return { clock, client, queryClient, unbind, settle };
};

test('retry happens once: Brownout retries, TanStack does not retry on top', async () => {
  const { client, queryClient, settle } = setup();
  mode = 'down';
  // A query with TanStack's own default (3 retries) for other errors: Brownout's errors are not retried again.
  const observer = queryClient.getQueryCache().build(queryClient, {
    queryKey: ['prices'],
    queryFn: createQueryFn(client, 'pricing', '/prices'),
  });
  await settle(observer.fetch().catch(() => {}));
  expect(hits.get('prices')).toBe(3); // Brownout's maxAttempts, not 3 × 4
  expect(queryClient.getQueryState(['prices'])?.fetchFailureCount).toBe(1);
});

test('an error with data keeps the data and reports its age', async () => {
  const { client, queryClient, clock, settle } = setup('none');
  const options = { queryKey: ['prices'], queryFn: createQueryFn(client, 'pricing', '/prices') };
  await settle(queryClient.fetchQuery(options));
  const fetchedAt = clock.now();
  expect(client.store.getState().freshness['["prices"]']).toMatchObject({ source: 'network', fetchedAt });
  mode = 'down';
  await clock.advanceAsync(14 * 60_000);
  await settle(queryClient.refetchQueries({ queryKey: ['prices'] }));
  const state = queryClient.getQueryState(['prices'])!;
  expect(state.status).toBe('error');
  expect(state.data).toEqual({ path: 'prices', n: 1 });
  expect(client.store.getState().freshness['["prices"]']).toMatchObject({
    source: 'cache',
    fetchedAt,
    dependency: 'pricing',
  });
  expect(clock.now() - fetchedAt).toBeGreaterThanOrEqual(14 * 60_000);
});

test('with reads "cache", the query gets the cached value marked as from cache', async () => {
  const { client, queryClient, settle } = setup('cache');
  const options = { queryKey: ['prices'], queryFn: createQueryFn(client, 'pricing', '/prices') };
  await settle(queryClient.fetchQuery(options));
  mode = 'down';
  await settle(queryClient.refetchQueries({ queryKey: ['prices'] }));
  expect(queryClient.getQueryState(['prices'])!.status).toBe('success');
  expect(client.store.getState().freshness['["prices"]']).toMatchObject({ source: 'cache' });
});

test('breaker open: no request is made, the data stays', async () => {
  const { client, queryClient, settle } = setup('none');
  const options = { queryKey: ['prices'], queryFn: createQueryFn(client, 'pricing', '/prices') };
  await settle(queryClient.fetchQuery(options));
  client.breaker('pricing').isolate();
  const before = hits.get('prices');
  await settle(queryClient.refetchQueries({ queryKey: ['prices'] }));
  expect(hits.get('prices')).toBe(before);
  const state = queryClient.getQueryState(['prices'])!;
  expect(state.error).toMatchObject({ kind: 'breaker-open' });
  expect(state.data).toBeDefined();
});

test('recovery: each stale or failed query of the dependency refetches once, spread over the window', async () => {
  const { client, queryClient, clock, settle } = setup('none');
  const keys = ['a', 'b', 'c'];
  for (const k of keys) {
    await settle(
      queryClient.fetchQuery({ queryKey: [k], queryFn: createQueryFn(client, 'pricing', `/${k}`) }),
    );
  }
  mode = 'down';
  client.breaker('pricing').isolate();
  for (const k of keys) await settle(queryClient.refetchQueries({ queryKey: [k] }));
  mode = 'up';
  const times: number[] = [];
  const unsub = queryClient.getQueryCache().subscribe((e) => {
    if (e.type === 'updated' && e.action.type === 'fetch') times.push(clock.now());
  });
  const at = clock.now();
  client.breaker('pricing').reset();
  await clock.advanceAsync(1_000);
  await clock.flush();
  unsub();
  expect(keys.map((k) => hits.get(k))).toEqual([2, 2, 2]);
  expect(new Set(times).size).toBe(3);
  expect(times.every((t) => t >= at && t <= at + 1_000)).toBe(true);
  expect(keys.map((k) => queryClient.getQueryState([k])!.status)).toEqual(['success', 'success', 'success']);
});

test('when the open period ends, one shown query is sent as the probe — one, not one per query', async () => {
  const { client, queryClient, clock, settle } = setup('none');
  const keys = ['a', 'b', 'c'];
  const observers = keys.map(
    (k) =>
      new QueryObserver(queryClient, { queryKey: [k], queryFn: createQueryFn(client, 'pricing', `/${k}`) }),
  );
  const offs = observers.map((o) => o.subscribe(() => {}));
  await settle(Promise.all(observers.map((o) => o.refetch())));
  mode = 'down';
  await settle(Promise.all(observers.map((o) => o.refetch())));
  const breaker = client.breaker('pricing').state;
  expect(breaker.state).toBe('open');
  const retryAt = breaker.state === 'open' ? breaker.retryAt : 0;
  const total = () => keys.reduce((n, k) => n + (hits.get(k) ?? 0), 0);
  const nextFetch = () =>
    new Promise<void>((resolve) => {
      const off = queryClient.getQueryCache().subscribe((e) => {
        if (e.type === 'updated' && (e.action.type === 'error' || e.action.type === 'success')) {
          off();
          resolve();
        }
      });
    });
  const before = total();
  await clock.advanceAsync(retryAt - clock.now() - 1);
  expect(total()).toBe(before); // not a millisecond early
  const probe = nextFetch();
  await clock.advanceAsync(1);
  await settle(probe);
  expect(total()).toBe(before + 1); // exactly one probe, still down: the breaker opens again
  expect(client.breaker('pricing').state.state).toBe('open');

  // "Retry now": the breaker lets one probe through at once; it succeeds and the others refetch.
  mode = 'up';
  const probed = nextFetch();
  expect(client.breaker('pricing').probeNow()).toBe(true);
  await settle(probed);
  expect(total()).toBe(before + 2);
  expect(client.breaker('pricing').state.state).toBe('closed');
  await clock.advanceAsync(1_000);
  await settle(Promise.all(observers.map((o) => o.getCurrentQuery().promise)));
  expect(total()).toBe(before + 4); // the two not probed refetch once each; the probed one is fresh
  expect(observers.map((o) => o.getCurrentResult().status)).toEqual(['success', 'success', 'success']);
  for (const off of offs) off();
});

test('a Retry-After hold ends by itself: at its end one shown query probes, with no focus or app code, and the store follows', async () => {
  const { client, queryClient, clock, settle, unbind } = setup('none');
  const observer = new QueryObserver(queryClient, {
    queryKey: ['held'],
    queryFn: createQueryFn(client, 'pricing', '/held'),
  });
  const off = observer.subscribe(() => {});
  await settle(observer.refetch());
  mode = 'busy';
  await settle(observer.refetch());
  expect(observer.getCurrentResult().status).toBe('error');
  const until = client.breaker('pricing').heldUntil!;
  expect(client.store.getState().dependencies.pricing?.health).toBe('down');
  mode = 'up';
  const before = hits.get('held') ?? 0;
  await clock.advanceAsync(until - clock.now() - 1);
  expect(hits.get('held') ?? 0).toBe(before); // nothing before the server allows it
  await clock.advanceAsync(1);
  await settle(observer.getCurrentQuery().promise ?? Promise.resolve());
  await settle(
    new Promise<void>((resolve) => {
      if (observer.getCurrentResult().status === 'success') return resolve();
      const stop = observer.subscribe((r) => {
        if (r.status === 'success') {
          stop();
          resolve();
        }
      });
    }),
  );
  expect(hits.get('held')).toBe(before + 1); // one probe
  expect(observer.getCurrentResult().status).toBe('success');
  expect(client.store.getState().dependencies.pricing?.health).toBe('healthy');
  off();
  unbind();
});

test('a query nobody shows (its part hidden by <Degradable>) is still probed, so the part can come back', async () => {
  const { client, queryClient, clock, settle } = setup('none');
  const options = { queryKey: ['hidden'], queryFn: createQueryFn(client, 'pricing', '/hidden') };
  await settle(queryClient.fetchQuery(options));
  mode = 'down';
  await settle(queryClient.refetchQueries({ queryKey: ['hidden'] }));
  const b = client.breaker('pricing').state;
  expect(b.state).toBe('open');
  mode = 'up';
  const before = hits.get('hidden') ?? 0;
  const done = new Promise<void>((resolve) => {
    const off = queryClient.getQueryCache().subscribe((e) => {
      if (e.type === 'updated' && e.action.type === 'success') {
        off();
        resolve();
      }
    });
  });
  await clock.advanceAsync(b.state === 'open' ? b.retryAt - clock.now() : 0);
  await settle(done);
  expect(hits.get('hidden')).toBe(before + 1);
  expect(client.breaker('pricing').state.state).toBe('closed');
});

test('a mutation to a down queue dependency is queued, replayed after recovery, and its queries invalidated', async () => {
  const { client, queryClient, clock, settle } = setup('none');
  const ordersQuery = {
    queryKey: ['orders-summary'],
    queryFn: createQueryFn(client, 'orders', '/orders-summary'),
  };
  await settle(queryClient.fetchQuery(ordersQuery));
  mode = 'down';
  const mutationFn = createMutationFn(client, 'orders', (sku: string) => ({
    input: '/orders',
    init: { method: 'POST', body: JSON.stringify({ sku }) },
  }));
  const result = await settle(
    queryClient
      .getMutationCache()
      .build(queryClient, { mutationFn, ...queuedMutationOptions })
      .execute('tea'),
  );
  expect(isQueuedMutation(result)).toBe(true);
  expect(hits.get('POST orders')).toBe(1);
  mode = 'up';
  await clock.advanceAsync(30_000);
  await settle(client.fetch('orders', '/orders-summary'));
  await vi.waitFor(() => expect(client.outbox!.list()).toEqual([]));
  // Invalidated: an observed query refetches now, an unobserved one when it is next used.
  await vi.waitFor(() => expect(queryClient.getQueryState(['orders-summary'])!.isInvalidated).toBe(true));
  expect(effects.size).toBe(1);
  expect(client.outbox!.list()).toEqual([]);
  // The live try while down, and the one replay.
  expect(hits.get('POST orders')).toBe(2);
});

test('unbind restores the defaults and stops the timers', () => {
  const { client, queryClient, unbind, clock } = setup();
  expect(queryClient.getDefaultOptions().queries?.retry).toBeTypeOf('function');
  void client;
  unbind();
  expect(queryClient.getDefaultOptions().queries?.retry).toBeUndefined();
  expect(clock.pending).toBe(0);
});
