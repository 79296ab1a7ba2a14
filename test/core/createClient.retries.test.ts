import { equalJitter, fullJitter } from '../../src/core/backoff.js';
import { createVirtualClock } from '../../src/core/clock.js';
import { createCoreClient as createClient } from '../../src/core/createCoreClient.js';
import { createSeededRandom } from '../../src/core/random.js';
import type { RetryEvent } from '../../src/core/types.js';
import { asError, outcome, retryAfter, setup, TRACEPARENT, unexpected } from './support.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const withRetryLog = (s: ReturnType<typeof setup>) => {
  const retries: RetryEvent[] = [];
  s.client.on('retry', (e) => retries.push(e));
  return retries;
};

describe('which failures are retried', () => {
  test.each([408, 429, 500, 502, 503, 504])('%i is transient: retried until maxAttempts', async (status) => {
    const { client, seen, run } = setup([status]);
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(3);
    expect(error).toMatchObject({
      kind: 'http',
      status,
      code: `http.${status}`,
      attempts: 3,
      retriable: true,
    });
  });

  test.each([400, 401, 403, 404, 409, 422])('%i is never retried', async (status) => {
    const { client, seen, run } = setup([status, 200]);
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'http', status, attempts: 1, retriable: false });
  });

  test('a transient failure followed by a success resolves with the success', async () => {
    const { client, seen, run } = setup([503, 200]);
    const { value } = await run(client.fetch('api', '/x'));
    expect(value?.status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  test('a network error (fetch throws TypeError) is retried, and ends as kind "network" with the TypeError as cause', async () => {
    const { client, seen, run } = setup(['network-error']);
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(3);
    expect(error).toMatchObject({ kind: 'network', code: 'network', retriable: true, attempts: 3 });
    expect(error?.cause).toBeInstanceOf(TypeError);
    expect(error?.message).not.toMatch(/CORS/);
  });

  test('network errors then a success', async () => {
    const { client, seen, run } = setup(['network-error', 'network-error', 200]);
    expect((await run(client.fetch('api', '/x'))).value?.status).toBe(200);
    expect(seen).toHaveLength(3);
  });

  test('networkErrors: false turns their retry off', async () => {
    const { client, seen, run } = setup(['network-error', 200], { retry: { networkErrors: false } });
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'network', retriable: false });
  });

  test.each([1, 2, 5])('maxAttempts %i counts the first try', async (maxAttempts) => {
    const { client, seen, run } = setup([503], { retry: { maxAttempts } });
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(maxAttempts);
    expect(error?.attempts).toBe(maxAttempts);
  });

  test('a call can lower maxAttempts for itself', async () => {
    const { client, seen, run } = setup([503]);
    await run(client.fetch('api', '/x', { maxAttempts: 1 }));
    expect(seen).toHaveLength(1);
  });

  test('custom transient statuses replace the defaults', async () => {
    const { client, seen, run } = setup([503, 200], { retry: { statuses: [418] } });
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status: 503, retriable: false });
  });

  test('retry decisions use the real status: a 400 whose body says 503 is not retried', async () => {
    const body = JSON.stringify({ title: 'Nope', status: 503 });
    const { client, seen, run } = setup([
      () => new Response(body, { status: 400, headers: { 'content-type': 'application/problem+json' } }),
    ]);
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status: 400, title: 'Nope', retriable: false });
  });

  test('…and a 503 whose body says 200 is retried, and reports 503', async () => {
    const body = JSON.stringify({ title: 'Down', status: 200 });
    const { client, seen, run } = setup([
      () => new Response(body, { status: 503, headers: { 'content-type': 'application/problem+json' } }),
    ]);
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(3);
    expect(error).toMatchObject({ status: 503, title: 'Down', retriable: true });
  });
});

describe('writes and idempotency keys (RFC 9110 §9.2.2)', () => {
  test('a POST without an idempotency key is not retried', async () => {
    const { client, seen, run } = setup([503, 200]);
    const { error } = await run(client.fetch('api', '/orders', { method: 'POST', body: '{}' }));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.has('idempotency-key')).toBe(false);
    expect(error).toMatchObject({ status: 503, retriable: true, attempts: 1 });
  });

  test('a PATCH without a key is not retried either; PUT and DELETE are idempotent and are', async () => {
    for (const [method, attempts] of [
      ['PATCH', 1],
      ['patch', 1],
      ['PUT', 2],
      ['DELETE', 2],
    ] as const) {
      const { client, seen, run } = setup([503, 200]);
      await run(client.fetch('api', '/x', { method, body: method === 'DELETE' ? null : '{}' }));
      expect(seen, method).toHaveLength(attempts);
    }
  });

  test('a POST with idempotencyKey in init is retried with the same key on every attempt', async () => {
    const { client, seen, run } = setup([429, 502, 200]);
    const { value } = await run(
      client.fetch('api', '/orders', { method: 'POST', body: '{}', idempotencyKey: 'k-1' }),
    );
    expect(value?.status).toBe(200);
    expect(seen.map((r) => r.headers.get('idempotency-key'))).toEqual(['k-1', 'k-1', 'k-1']);
    expect(seen.every((r) => r.method === 'POST')).toBe(true);
  });

  test('429 → 502 → 200 makes exactly 3 attempts with the same idempotency key and trace id', async () => {
    const { client, seen, run } = setup([429, 502, 200], { idempotencyKeys: true });
    const { value } = await run(client.fetch('api', '/orders', { method: 'POST', body: '{}' }));
    expect(value?.status).toBe(200);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((r) => r.headers.get('idempotency-key'))).size).toBe(1);
    expect(new Set(seen.map((r) => TRACEPARENT.exec(r.headers.get('traceparent')!)![1])).size).toBe(1);
  });

  test('idempotencyKeys: true on an allowed origin: one v4 key per call, the same on every attempt, a new one next call', async () => {
    const { client, seen, run } = setup([503, 200, 503, 200], { idempotencyKeys: true });
    await run(client.fetch('api', '/orders', { method: 'POST', body: '{}' }));
    await run(client.fetch('api', '/orders', { method: 'POST', body: '{}' }));
    const keys = seen.map((r) => r.headers.get('idempotency-key'));
    expect(keys).toHaveLength(4);
    expect(keys[0]).toMatch(UUID_V4);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toMatch(UUID_V4);
    expect(keys[2]).not.toBe(keys[0]);
    expect(keys[3]).toBe(keys[2]);
  });

  test('idempotencyKeys: true leaves GETs without a key', async () => {
    const { client, seen, run } = setup([200], { idempotencyKeys: true });
    await run(client.fetch('api', '/x'));
    expect(seen[0]!.headers.has('idempotency-key')).toBe(false);
  });

  test('a key header the caller set counts as a key, under the configured header name', async () => {
    const { client, seen, run } = setup([503, 200], {}, { idempotencyHeader: 'X-Request-Id' });
    await run(client.fetch('api', '/o', { method: 'POST', headers: { 'X-Request-Id': 'mine' } }));
    expect(seen.map((r) => r.headers.get('x-request-id'))).toEqual(['mine', 'mine']);
  });

  test('a non-allowed origin gets no key, so a keyed POST to it is not retried', async () => {
    for (const init of [{}, { idempotencyKey: 'k-1' }]) {
      const { client, seen, run } = setup([503, 200], {
        idempotencyKeys: true,
        baseUrl: 'https://other.test',
      });
      await run(client.fetch('api', '/orders', { method: 'POST', body: '{}', ...init }));
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers.has('idempotency-key')).toBe(false);
    }
  });

  test('a streamed request body cannot be replayed, so it is not retried', async () => {
    const { client, seen, run } = setup([503, 200]);
    const body = new ReadableStream({
      start: (c) => {
        c.enqueue(new TextEncoder().encode('x'));
        c.close();
      },
    });
    await run(client.fetch('api', '/x', { method: 'PUT', body, duplex: 'half' } as RequestInit));
    expect(seen).toHaveLength(1);
  });
});

describe('backoff on the virtual clock', () => {
  test('each retry waits the sleep its event announces, within [0, min(cap, base·2ⁿ)]', async () => {
    const s = setup([503], { retry: { maxAttempts: 5, baseMs: 100, capMs: 250 } });
    const retries = withRetryLog(s);
    await s.run(s.client.fetch('api', '/x'));
    expect(s.seen).toHaveLength(5);
    retries.forEach((r, i) => {
      expect(r.delayMs).toBeGreaterThanOrEqual(0);
      expect(r.delayMs).toBeLessThanOrEqual(Math.min(250, 100 * 2 ** i));
      // Epoch times hold fractions of a millisecond to about 2⁻¹² ms.
      expect(s.seen[i + 1]!.at - s.seen[i]!.at).toBeCloseTo(r.delayMs, 2);
    });
  });

  test('the sleeps are the seeded full-jitter draws, so a run is reproducible', async () => {
    const s = setup([503], { retry: { maxAttempts: 4, baseMs: 100, capMs: 5_000 } });
    const retries = withRetryLog(s);
    await s.run(s.client.fetch('api', '/x'));
    const random = createSeededRandom(7);
    const expected = [0, 1, 2].map((retry) =>
      fullJitter({ retry, baseMs: 100, capMs: 5_000, previousMs: 0, random }),
    );
    expect(retries.map((r) => r.delayMs)).toEqual(expected);
  });
});

describe('Retry-After in the client', () => {
  test('delay-seconds is waited in full, even past the backoff cap', async () => {
    const s = setup([retryAfter(429, '7'), 200], { retry: { capMs: 1_000 } });
    const retries = withRetryLog(s);
    const p = s.client.fetch('api', '/x');
    await s.clock.advanceAsync(6_999);
    expect(s.seen).toHaveLength(1);
    await s.clock.advanceAsync(1);
    expect(s.seen).toHaveLength(2);
    expect(s.seen[1]!.at - s.seen[0]!.at).toBe(7_000);
    expect((await p).status).toBe(200);
    expect(retries[0]!.delayMs).toBe(7_000);
  });

  test('an HTTP-date is honoured against the injected clock', async () => {
    const clock = createVirtualClock(Date.UTC(2026, 10, 28, 12, 0, 0));
    const s = setup([retryAfter(503, 'Sat, 28 Nov 2026 12:00:04 GMT'), 200], {}, { clock });
    const p = s.client.fetch('api', '/x');
    await clock.advanceAsync(3_999);
    expect(s.seen).toHaveLength(1);
    await clock.advanceAsync(1);
    expect((await p).status).toBe(200);
    expect(s.seen[1]!.at).toBe(Date.UTC(2026, 10, 28, 12, 0, 4));
  });

  test('a date in the past means no extra wait: the backoff applies', async () => {
    const s = setup([retryAfter(503, 'Thu, 01 Jan 2026 00:00:00 GMT'), 200], {
      retry: { baseMs: 100, capMs: 100 },
    });
    const retries = withRetryLog(s);
    await s.run(s.client.fetch('api', '/x'));
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(100);
  });

  test.each([1, 2, 3, 5])(
    'the wait is max(backoff, Retry-After: %i s), and the next attempt never comes sooner',
    async (seconds) => {
      const s = setup([retryAfter(503, String(seconds)), 200], {
        timeouts: { totalMs: 60_000 },
        retry: { baseMs: 3_000, capMs: 3_000, jitter: 'equal' },
      });
      const retries = withRetryLog(s);
      const { value } = await s.run(s.client.fetch('api', '/x'));
      expect(value?.status).toBe(200);
      const backoff = equalJitter({
        retry: 0,
        baseMs: 3_000,
        capMs: 3_000,
        previousMs: 0,
        random: createSeededRandom(7),
      });
      const wait = Math.max(backoff, seconds * 1_000);
      expect(retries[0]!.delayMs).toBe(wait);
      expect(s.seen[1]!.at - s.seen[0]!.at).toBeCloseTo(wait, 2);
      expect(s.seen[1]!.at - s.seen[0]!.at).toBeGreaterThanOrEqual(seconds * 1_000);
    },
  );

  test('a Retry-After of 0 never shortens the backoff', async () => {
    const s = setup([retryAfter(503, '0'), 200], { retry: { baseMs: 1_000, capMs: 1_000, jitter: 'equal' } });
    const retries = withRetryLog(s);
    await s.run(s.client.fetch('api', '/x'));
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(500);
  });

  test.each(['1.5', '-5', '', '  ', '120, 120', 'soon', 'Wed, 31 Feb 2026 08:49:37 GMT'])(
    'an invalid Retry-After (%j) is ignored: the backoff applies',
    async (value) => {
      const s = setup([retryAfter(503, value), 200], { retry: { capMs: 100 } });
      const retries = withRetryLog(s);
      const { value: response } = await s.run(s.client.fetch('api', '/x'));
      expect(response?.status).toBe(200);
      expect(retries[0]!.delayMs).toBeLessThanOrEqual(100);
    },
  );

  test('a Retry-After past the total deadline fails at once, without sleeping, and says so', async () => {
    const s = setup([retryAfter(503, '30'), 200]);
    const start = s.clock.now();
    const error = await s.client.fetch('api', '/x').then(unexpected, asError);
    expect(s.clock.now()).toBe(start);
    expect(s.clock.pending).toBe(1); // no sleep: the one timer is the hold's end (hold-end)
    expect(s.seen).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'http', status: 503, retryAt: start + 30_000, attempts: 1 });
    expect(error.message).toBe(
      "api answered 503 Service Unavailable. It asked to retry in 30 s, after this call's deadline.",
    );
  });

  test('a 429 with Retry-After is held too; other statuses ignore it', async () => {
    const held = setup([retryAfter(429, '30')]);
    expect(await held.client.fetch('api', '/x').then(unexpected, asError)).toMatchObject({
      retryAt: held.clock.now() + 30_000,
    });
    const ignored = setup([retryAfter(500, '30'), 200], { retry: { baseMs: 1, capMs: 1 } });
    const { value } = await ignored.run(ignored.client.fetch('api', '/x'));
    expect(value?.status).toBe(200);
  });
});

describe('Retry-After on the system clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('a Retry-After beyond the 32-bit timer limit is not cut short (shopify-app-js#3364 misread the unit)', async () => {
    // https://github.com/Shopify/shopify-app-js/issues/3364 — here the trap is setTimeout's int32 delay.
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const thirtyDays = 30 * 86_400_000;
    let calls = 0;
    const client = createClient({
      random: createSeededRandom(1),
      fetch: async () =>
        ++calls === 1
          ? new Response('', { status: 503, headers: { 'retry-after': String(thirtyDays / 1_000) } })
          : new Response('ok'),
      dependencies: { api: { timeouts: { totalMs: Number.POSITIVE_INFINITY } } },
    });
    const p = outcome(client.fetch('api', 'https://a.test/'));
    let settled = false;
    void p.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(settled).toBe(false);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(thirtyDays);
    expect(calls).toBe(2);
    expect((await p).value?.status).toBe(200);
    client.dispose();
  });
});
