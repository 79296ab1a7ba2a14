import {
  type BreakerEvent,
  createCoreClient,
  createMemoryCache,
  createVirtualClock,
  type DependencyOptions,
  getFreshness,
} from '../../src/index.js';
import { asError, fakeFetch, unexpected } from '../helpers/fakeFetch.js';

const setup = (steps: Parameters<typeof fakeFetch>, dep: DependencyOptions = {}) => {
  const clock = createVirtualClock(0);
  const fake = fakeFetch(...steps);
  const cache = createMemoryCache();
  const client = createCoreClient({
    clock,
    fetch: fake.fetch,
    cache,
    retryBudget: { minPerSecond: 1_000 },
    dependencies: { api: { retry: { maxAttempts: 1 }, ...dep }, other: {} },
  });
  const breakerEvents: BreakerEvent[] = [];
  client.on('breaker', (e) => breakerEvents.push(e));
  const settle = async <T>(p: Promise<T>) => {
    const done = p.then(
      (v) => ({ v }),
      (e: unknown) => ({ e: asError(e) }),
    );
    while (await clock.next()) {}
    return done;
  };
  return { clock, client, seen: fake.seen, cache, breakerEvents, settle };
};

describe('the breaker in front of every attempt', () => {
  test('opens after 5 consecutive failed calls; the next call fails fast without a request', async () => {
    const { client, seen, breakerEvents } = setup([503]);
    for (let i = 0; i < 5; i++) await client.fetch('api', 'https://a.test/').catch(() => {});
    expect(seen).toHaveLength(5);
    const error = await client.fetch('api', 'https://a.test/').then(unexpected, asError);
    expect(seen).toHaveLength(5);
    expect(error).toMatchObject({
      kind: 'breaker-open',
      code: 'breaker.open',
      retryAt: 30_000,
      dependency: 'api',
    });
    expect(breakerEvents).toEqual([
      expect.objectContaining({
        dependency: 'api',
        from: 'closed',
        reason: 'consecutive-failures',
        to: expect.objectContaining({ state: 'open' }),
      }),
    ]);
    expect(client.metrics('api').errorsByClass.breaker).toBe(1);
    expect(client.status('api')).toMatchObject({ health: 'down', retryAt: 30_000 });
    expect(client.status('other').health).toBe('healthy');
  });

  test('each open error is a fresh error', async () => {
    const { client } = setup([503]);
    for (let i = 0; i < 5; i++) await client.fetch('api', 'https://a.test/').catch(() => {});
    const a = await client.fetch('api', 'https://a.test/').then(unexpected, asError);
    const b = await client.fetch('api', 'https://a.test/').then(unexpected, asError);
    expect(a).not.toBe(b);
    expect(a.correlationId).not.toBe(b.correlationId);
  });

  test('4xx and user aborts do not count as failures', async () => {
    const { client } = setup([404]);
    for (let i = 0; i < 20; i++) await client.fetch('api', 'https://a.test/').catch(() => {});
    const c = new AbortController();
    c.abort();
    for (let i = 0; i < 20; i++)
      await client.fetch('api', 'https://a.test/', { signal: c.signal }).catch(() => {});
    expect(client.breaker('api').state.state).toBe('closed');
  });

  test('after openMs one probe goes out; its success closes the breaker', async () => {
    const steps: Parameters<typeof fakeFetch> = [503, 503, 503, 503, 503, 200];
    const { client, clock, seen, breakerEvents } = setup(steps);
    for (let i = 0; i < 5; i++) await client.fetch('api', 'https://a.test/').catch(() => {});
    await clock.advanceAsync(30_000);
    const [probe, ...rest] = await Promise.allSettled([
      client.fetch('api', 'https://a.test/'),
      client.fetch('api', 'https://a.test/'),
      client.fetch('api', 'https://a.test/'),
    ]);
    expect(probe.status).toBe('fulfilled');
    expect(rest.map((r) => r.status === 'rejected' && asError(r.reason).code)).toEqual([
      'breaker.probing',
      'breaker.probing',
    ]);
    expect(seen).toHaveLength(6);
    expect(breakerEvents.map((e) => e.to.state)).toEqual(['open', 'half-open', 'closed']);
  });

  test('a 503 with Retry-After holds the whole dependency: no call goes out before it', async () => {
    const r = new Response('', { status: 503, headers: { 'retry-after': '20' } });
    const { client, clock, seen } = setup([r, 200]);
    await client.fetch('api', 'https://a.test/1').catch(() => {});
    const held = await client.fetch('api', 'https://a.test/2').then(unexpected, asError);
    expect(held).toMatchObject({ kind: 'breaker-open', code: 'breaker.held', retryAt: 20_000 });
    expect(seen).toHaveLength(1);
    expect(client.status('api')).toMatchObject({ health: 'down', retryAt: 20_000 });
    await clock.advanceAsync(20_000);
    await expect(client.fetch('api', 'https://a.test/3')).resolves.toHaveProperty('status', 200);
  });

  test('isolate and reset are the operator switches; state survives toJSON/restore', async () => {
    const { client, seen } = setup([200]);
    client.breaker('api').isolate();
    await expect(client.fetch('api', 'https://a.test/')).rejects.toMatchObject({ kind: 'breaker-open' });
    const saved = JSON.parse(JSON.stringify(client.breaker('api')));
    client.breaker('api').reset();
    await client.fetch('api', 'https://a.test/');
    expect(seen).toHaveLength(1);
    client.breaker('api').restore({ ...saved, retryAt: 1e15 });
    await expect(client.fetch('api', 'https://a.test/')).rejects.toMatchObject({ kind: 'breaker-open' });
  });
});

describe('the bulkhead', () => {
  test('at most maxConcurrent in flight; the next wait in order; a full queue fails at once', async () => {
    const { client, clock, seen } = setup(['hang'], {
      maxConcurrent: 2,
      maxQueue: 1,
      timeouts: { headersMs: 1_000 },
    });
    const calls = [0, 1, 2].map((i) => client.fetch('api', `https://a.test/${i}`).catch(asError));
    await clock.flush();
    expect(seen).toHaveLength(2);
    expect(client.metrics('api')).toMatchObject({ inFlight: 2, queued: 1 });
    const full = await client.fetch('api', 'https://a.test/3').then(unexpected, asError);
    expect(full).toMatchObject({ kind: 'queue-full', code: 'queue.full' });
    expect(client.metrics('api').errorsByClass.queue).toBe(1);
    await clock.advanceAsync(1_000);
    expect(seen.map((s) => s.url)).toEqual(['https://a.test/0', 'https://a.test/1', 'https://a.test/2']);
    await clock.advanceAsync(1_000);
    await Promise.all(calls);
    expect(client.metrics('api')).toMatchObject({ inFlight: 0, queued: 0 });
  });

  test('a waiter gives up at its deadline, and on abort', async () => {
    const { client, clock } = setup(['hang'], {
      maxConcurrent: 1,
      timeouts: { headersMs: 50_000, totalMs: 5_000 },
    });
    const first = client.fetch('api', 'https://a.test/').catch(asError);
    const c = new AbortController();
    const aborted = client.fetch('api', 'https://a.test/', { signal: c.signal }).then(unexpected, asError);
    const late = client.fetch('api', 'https://a.test/').then(unexpected, asError);
    c.abort();
    expect(await aborted).toMatchObject({ kind: 'aborted' });
    await clock.advanceAsync(5_000);
    expect(await late).toMatchObject({ kind: 'timeout', code: 'timeout.total' });
    await first;
    expect(clock.pending).toBe(0);
  });
});

describe('cached fallback for reads', () => {
  const ok = () =>
    new Response('{"price":4.5}', { headers: { 'content-type': 'application/json', 'set-cookie': 'a=b' } });

  test('a failed read answers with the last good value, marked as from cache, with its age', async () => {
    const { client, clock } = setup([ok, 503], { reads: 'cache' });
    const fresh = await client.fetch('api', 'https://a.test/p');
    expect(getFreshness(fresh)).toEqual({ key: 'GET https://a.test/p', source: 'network', fetchedAt: 0 });
    expect(await fresh.json()).toEqual({ price: 4.5 });
    await clock.advanceAsync(14 * 60_000);
    const fallbacks: unknown[] = [];
    client.on('fallback', (e) => fallbacks.push(e));
    const cached = await client.fetch('api', 'https://a.test/p');
    expect(cached.headers.get('x-brownout-source')).toBe('cache');
    expect(cached.headers.get('content-type')).toBe('application/json');
    expect(cached.headers.has('set-cookie')).toBe(false);
    expect(getFreshness(cached)).toEqual({ key: 'GET https://a.test/p', source: 'cache', fetchedAt: 0 });
    expect(await cached.json()).toEqual({ price: 4.5 });
    expect(fallbacks).toEqual([
      expect.objectContaining({ ageMs: 14 * 60_000, error: expect.objectContaining({ status: 503 }) }),
    ]);
    expect(client.metrics('api').fallbacks).toBe(1);
  });

  test('older than maxStaleMs: the error is thrown', async () => {
    const { client, clock } = setup([ok, 503], { reads: 'cache', maxStaleMs: 60_000 });
    await (await client.fetch('api', 'https://a.test/p')).text();
    await clock.advanceAsync(60_001);
    await expect(client.fetch('api', 'https://a.test/p')).rejects.toMatchObject({ status: 503 });
  });

  test('a body the caller never finished reading is not cached', async () => {
    const { client } = setup([ok, 503], { reads: 'cache' });
    await client.fetch('api', 'https://a.test/p');
    await expect(client.fetch('api', 'https://a.test/p')).rejects.toMatchObject({ status: 503 });
  });

  test('an open breaker also falls back, without a request', async () => {
    const { client, seen } = setup([ok, 503], { reads: 'cache' });
    await (await client.fetch('api', 'https://a.test/p')).text();
    for (let i = 0; i < 5; i++) await client.fetch('api', 'https://a.test/p');
    const n = seen.length;
    const r = await client.fetch('api', 'https://a.test/p');
    expect(seen).toHaveLength(n);
    expect(getFreshness(r)?.source).toBe('cache');
  });

  test('writes never fall back; reads "none" never fall back; aborts never fall back', async () => {
    const a = setup([ok, 503], { reads: 'cache' });
    await (await a.client.fetch('api', 'https://a.test/p')).text();
    await expect(a.client.fetch('api', 'https://a.test/p', { method: 'POST' })).rejects.toMatchObject({
      status: 503,
    });
    const c = new AbortController();
    c.abort();
    await expect(a.client.fetch('api', 'https://a.test/p', { signal: c.signal })).rejects.toMatchObject({
      kind: 'aborted',
    });
    const b = setup([ok, 503], { reads: 'none' });
    await (await b.client.fetch('api', 'https://a.test/p')).text();
    await expect(b.client.fetch('api', 'https://a.test/p')).rejects.toMatchObject({ status: 503 });
  });

  test("the cache key can be the app's own", async () => {
    const { client } = setup([ok, 503], { reads: 'cache' });
    await (await client.fetch('api', 'https://a.test/p?t=1', { cacheKey: 'prices' })).text();
    const r = await client.fetch('api', 'https://a.test/p?t=2', { cacheKey: 'prices' });
    expect(getFreshness(r)).toMatchObject({ key: 'prices', source: 'cache' });
  });

  test('reads "partial" reject with an error that says the part can be hidden', async () => {
    const { client } = setup([503], { reads: 'partial' });
    await expect(client.fetch('api', 'https://a.test/p')).rejects.toMatchObject({
      partial: true,
      status: 503,
    });
  });

  test('a cache that throws does not fail the call', async () => {
    const clock = createVirtualClock(0);
    const client = createCoreClient({
      clock,
      fetch: fakeFetch(503).fetch,
      cache: {
        get: () => Promise.reject(new Error('quota')),
        set: () => {},
        delete: () => {},
        clear: () => {},
      },
      dependencies: { api: { retry: { maxAttempts: 1 } } },
    });
    await expect(client.fetch('api', 'https://a.test/')).rejects.toMatchObject({ status: 503 });
  });
});

describe('health and targets', () => {
  test('a slow dependency is degraded, not down, and says why', async () => {
    const clock = createVirtualClock(0);
    const client = createCoreClient({
      clock,
      fetch: () => new Promise((resolve) => clock.setTimeout(() => resolve(new Response('')), 900)),
      dependencies: { api: { slo: { p95Ms: 500 } } },
    });
    for (let i = 0; i < 20; i++) {
      const p = client.fetch('api', 'https://a.test/');
      while (await clock.next()) {}
      await p;
    }
    expect(client.status('api')).toMatchObject({ health: 'degraded', degradedBecause: ['latency'] });
  });

  test('retries over 5 % of calls mark it degraded; a success rate under target too', async () => {
    const { client, settle } = setup([503, 200, 200], {
      retry: { maxAttempts: 2, baseMs: 1, capMs: 1 },
      slo: { successRate: 0.99 },
    });
    await settle(client.fetch('api', 'https://a.test/'));
    await settle(client.fetch('api', 'https://a.test/'));
    expect(client.status('api')).toMatchObject({ health: 'degraded', degradedBecause: ['retries'] });
    const b = setup([404], { slo: { successRate: 0.99 } });
    await b.settle(b.client.fetch('api', 'https://a.test/'));
    expect(b.client.status('api').degradedBecause).toEqual(['success-rate']);
  });

  test('status reports the last success and the last error as problem JSON', async () => {
    const { client, clock } = setup([200, 404]);
    await client.fetch('api', 'https://a.test/');
    await clock.advanceAsync(10);
    await client.fetch('api', 'https://a.test/').catch(() => {});
    expect(client.status('api')).toMatchObject({
      lastSuccessAt: 0,
      lastError: expect.objectContaining({ status: 404, kind: 'http' }),
    });
  });
});
