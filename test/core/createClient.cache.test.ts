import { createVirtualClock } from '../../src/core/clock.js';
import { createCoreClient as createClient } from '../../src/core/createCoreClient.js';
import type { DependencyOptions } from '../../src/core/options.js';
import { getFreshness } from '../../src/core/ResponseCache.js';
import { createSeededRandom } from '../../src/core/random.js';
import { type Answer, mapCache, stubFetch } from './support.js';

const setup = (answers: Answer[], dep: DependencyOptions = {}) => {
  const clock = createVirtualClock(0);
  const stub = stubFetch(clock, ...answers);
  const cache = mapCache();
  const client = createClient({
    clock,
    random: createSeededRandom(1),
    fetch: stub.fetch,
    cache,
    retryBudget: { minPerSecond: 1_000 },
    dependencies: { api: { retry: { maxAttempts: 1 }, ...dep } },
  });
  return { clock, client, seen: stub.seen, cache };
};
const ok = () =>
  new Response('{"price":4.5}', { headers: { 'content-type': 'application/json', 'set-cookie': 'a=b' } });

describe('cached fallback for reads', () => {
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
    const { client, cache } = setup([ok, 503], { reads: 'cache' });
    await client.fetch('api', 'https://a.test/p');
    expect(cache.entries.size).toBe(0);
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
    await expect(
      a.client.fetch('api', 'https://a.test/p', { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ kind: 'aborted' });
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
    const client = createClient({
      clock,
      random: createSeededRandom(1),
      fetch: stubFetch(clock, 503).fetch,
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
