import {
  type AttemptEvent,
  type BrownoutError,
  createClient,
  createVirtualClock,
  type GiveUpEvent,
  type RetryEvent,
  type SuccessEvent,
} from '../../src/index.js';
import { asError, fakeFetch, unexpected } from '../helpers/fakeFetch.js';

const setup = (...steps: Parameters<typeof fakeFetch>) => {
  const clock = createVirtualClock();
  const fake = fakeFetch(...steps);
  const client = createClient({
    clock,
    fetch: fake.fetch,
    dependencies: { api: { retry: { baseMs: 10, capMs: 10 } }, other: {} },
  });
  const drain = async () => {
    while (await clock.next()) {}
  };
  return { clock, client, seen: fake.seen, drain };
};

describe('events', () => {
  test('attempt, retry, success carry the call facts', async () => {
    const { client, drain } = setup(503, 200);
    const log: (AttemptEvent | RetryEvent | SuccessEvent | GiveUpEvent)[] = [];
    client.on('attempt', (e) => log.push(e));
    client.on('retry', (e) => log.push(e));
    client.on('success', (e) => log.push(e));
    const p = client.fetch('api', 'https://a.test/x');
    await drain();
    await p;
    const id = log[0]!.correlationId;
    expect(log).toEqual([
      { dependency: 'api', attempt: 1, method: 'GET', url: 'https://a.test/x', correlationId: id },
      expect.objectContaining({
        dependency: 'api',
        attempt: 1,
        reason: expect.objectContaining({ status: 503 }),
      }),
      { dependency: 'api', attempt: 2, method: 'GET', url: 'https://a.test/x', correlationId: id },
      { dependency: 'api', attempts: 2, status: 200, correlationId: id },
    ]);
  });

  test('give-up carries the final error', async () => {
    const { client, drain } = setup(404);
    const events: GiveUpEvent[] = [];
    client.on('give-up', (e) => events.push(e));
    await Promise.all([client.fetch('api', 'https://a.test/x').catch(() => {}), drain()]);
    expect(events).toHaveLength(1);
    expect(events[0]!.error).toMatchObject({ status: 404, attempts: 1 });
  });

  test('unsubscribe stops the events', async () => {
    const { client } = setup(200);
    const fn = vi.fn();
    const off = client.on('attempt', fn);
    await client.fetch('api', 'https://a.test/x');
    off();
    await client.fetch('api', 'https://a.test/x');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test('a throwing listener does not break the call', async () => {
    const { client } = setup(200);
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    client.on('attempt', () => {
      throw new Error('listener bug');
    });
    await expect(client.fetch('api', 'https://a.test/x')).resolves.toHaveProperty('status', 200);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('metrics', () => {
  test('count calls, attempts, retries and errors by class, per dependency', async () => {
    const { client, drain } = setup(503, 'network-error', 200, 404);
    const a = client.fetch('api', 'https://a.test/1');
    await drain();
    await a;
    await client.fetch('api', 'https://a.test/2').catch(() => {});
    expect(client.metrics('api')).toMatchObject({
      dependency: 'api',
      requests: 2,
      attempts: 4,
      successes: 1,
      failures: 1,
      retries: 2,
      retryRate: 1,
      errorsByClass: { '5xx': 1, network: 1, '4xx': 1, timeout: 0, breaker: 0, budget: 0, aborted: 0 },
    });
    expect(client.metrics('other').requests).toBe(0);
  });

  test('latency quantiles come from time to headers on the clock', async () => {
    const clock = createVirtualClock();
    let n = 0;
    const client = createClient({
      clock,
      fetch: () =>
        new Promise((resolve) => {
          const ms = ++n <= 90 ? 10 : 1_000;
          clock.setTimeout(() => resolve(new Response('')), ms);
        }),
      dependencies: { api: {} },
    });
    for (let i = 0; i < 100; i++) {
      const p = client.fetch('api', 'https://a.test/');
      while (await clock.next()) {}
      await p;
    }
    const { latency } = client.metrics('api');
    expect(latency.count).toBe(100);
    expect(latency.p50).toBeGreaterThan(9.5);
    expect(latency.p50).toBeLessThan(10.5);
    expect(latency.p95).toBeGreaterThan(950);
    expect(latency.p99).toBeLessThanOrEqual(1_000);
  });

  test('a snapshot is a copy', async () => {
    const { client } = setup(200);
    const before = client.metrics('api');
    await client.fetch('api', 'https://a.test/');
    expect(before.requests).toBe(0);
  });
});

describe('dispose', () => {
  test('stops every timer and fails calls in flight and asleep', async () => {
    const { client, clock, seen } = setup('hang');
    const sleeping = setup(503);
    const a = client.fetch('api', 'https://a.test/').then(unexpected, asError);
    const b = sleeping.client.fetch('api', 'https://a.test/').then(unexpected, asError);
    await clock.flush();
    await sleeping.clock.flush();
    expect(clock.pending).toBe(1);
    expect(sleeping.clock.pending).toBe(1);
    client.dispose();
    sleeping.client.dispose();
    expect(clock.pending).toBe(0);
    expect(sleeping.clock.pending).toBe(0);
    expect(await a).toMatchObject({ kind: 'aborted', code: 'aborted.disposed' });
    expect(await b).toMatchObject({ kind: 'aborted', code: 'aborted.disposed' });
    expect(seen[0]!.signal?.aborted).toBe(true);
  });

  test('later calls reject, listeners are gone, and dispose twice is fine', async () => {
    const { client, seen } = setup(200);
    const fn = vi.fn();
    client.on('attempt', fn);
    client.dispose();
    client.dispose();
    await expect(client.fetch('api', 'https://a.test/')).rejects.toMatchObject({ kind: 'aborted' });
    expect(seen).toHaveLength(0);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('fetcher', () => {
  test('is fetch-compatible and bound to its dependency', async () => {
    const { client, seen } = setup(200);
    const f: typeof fetch = client.fetcher('api');
    const r = await f(new Request('https://a.test/req', { method: 'PUT', headers: { 'x-a': '1' } }));
    expect(r.status).toBe(200);
    expect(seen[0]).toMatchObject({ url: 'https://a.test/req', method: 'PUT' });
    expect(seen[0]!.headers.get('x-a')).toBe('1');
    expect(client.metrics('api').requests).toBe(1);
  });

  test('relative URLs are joined to baseUrl; absolute ones are left alone', async () => {
    const fake = fakeFetch(200);
    const client = createClient({
      fetch: fake.fetch,
      dependencies: { api: { baseUrl: 'https://a.test/v1/' } },
    });
    await client.fetch('api', '/prices');
    await client.fetch('api', 'items');
    await client.fetch('api', 'https://b.test/z');
    expect(fake.seen.map((s) => s.url)).toEqual([
      'https://a.test/v1/prices',
      'https://a.test/v1/items',
      'https://b.test/z',
    ]);
  });
});
