import {
  type BrownoutError,
  createClient,
  createSeededRandom,
  createVirtualClock,
  type RetryEvent,
} from '../../src/index.js';
import { asError, fakeFetch, unexpected } from '../helpers/fakeFetch.js';

const ORIGIN = 'https://api.test';

const setup = (steps: Parameters<typeof fakeFetch>, deps: Record<string, unknown> = {}) => {
  const clock = createVirtualClock();
  const fake = fakeFetch(...steps);
  const client = createClient({
    clock,
    random: createSeededRandom(7),
    fetch: fake.fetch,
    allowedOrigins: [ORIGIN],
    dependencies: { api: { baseUrl: ORIGIN, ...deps } },
  });
  const retries: RetryEvent[] = [];
  client.on('retry', (e) => retries.push(e));
  // Runs the call to completion on the virtual clock.
  const run = async <T>(promise: Promise<T>) => {
    const settled = promise.then(
      (value): { value?: T; error?: BrownoutError } => ({ value }),
      (error: BrownoutError): { value?: T; error?: BrownoutError } => ({ error }),
    );
    while (await clock.next()) {}
    return settled;
  };
  return { clock, client, seen: fake.seen, retries, run };
};

describe('which failures are retried', () => {
  test.each([408, 429, 500, 502, 503, 504])('%i is transient: retried up to maxAttempts', async (status) => {
    const { client, seen, run } = setup([status]);
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(3);
    expect(error).toMatchObject({
      kind: 'http',
      status,
      attempts: 3,
      retriable: true,
      code: `http.${status}`,
    });
  });

  test.each([400, 401, 403, 404, 409, 422])('%i is never retried', async (status) => {
    const { client, seen, run } = setup([status, 200]);
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'http', status, attempts: 1, retriable: false });
  });

  test('network errors are retried and become kind "network"', async () => {
    const { client, seen, run } = setup(['network-error', 'network-error', 200]);
    const { value } = await run(client.fetch('api', '/x'));
    expect(value?.status).toBe(200);
    expect(seen).toHaveLength(3);
  });

  test('networkErrors: false turns their retry off', async () => {
    const { client, seen, run } = setup(['network-error', 200], { retry: { networkErrors: false } });
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'network', code: 'network', retriable: false });
    expect(error?.cause).toBeInstanceOf(TypeError);
  });

  test('maxAttempts counts the first try: 1 means no retry', async () => {
    const { client, seen, run } = setup([503, 200], { retry: { maxAttempts: 1 } });
    await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(1);
  });

  test('custom transient statuses replace the defaults', async () => {
    const { client, seen, run } = setup([503, 200], { retry: { statuses: [418] } });
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(1);
    expect(error?.status).toBe(503);
  });

  test('retry decisions use the real status, not the body\'s "status" member', async () => {
    const body = JSON.stringify({ title: 'Nope', status: 503 });
    const { client, seen, run } = setup([
      new Response(body, { status: 400, headers: { 'content-type': 'application/problem+json' } }),
    ]);
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status: 400, title: 'Nope', retriable: false });
  });
});

describe('writes and idempotency keys', () => {
  test('a POST without an idempotency key is not retried', async () => {
    const { client, seen, run } = setup([503, 200]);
    const { error } = await run(client.fetch('api', '/orders', { method: 'POST', body: '{}' }));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.has('idempotency-key')).toBe(false);
    expect(error?.status).toBe(503);
  });

  test('a PATCH without a key is not retried either, but PUT and DELETE are', async () => {
    for (const [method, attempts] of [
      ['PATCH', 1],
      ['PUT', 2],
      ['DELETE', 2],
    ] as const) {
      const { client, seen, run } = setup([503, 200]);
      await run(client.fetch('api', '/x', { method, body: method === 'DELETE' ? null : '{}' }));
      expect(seen, method).toHaveLength(attempts);
    }
  });

  test('a POST with a caller key is retried with that key on every attempt', async () => {
    const { client, seen, run } = setup([429, 502, 200]);
    const { value } = await run(
      client.fetch('api', '/orders', { method: 'POST', body: '{}', idempotencyKey: 'k-1' }),
    );
    expect(value?.status).toBe(200);
    expect(seen.map((r) => r.headers.get('idempotency-key'))).toEqual(['k-1', 'k-1', 'k-1']);
  });

  test('idempotencyKeys: true makes one key per call, the same on every attempt, new for the next call', async () => {
    const { client, seen, run } = setup([503, 200], { idempotencyKeys: true });
    await run(client.fetch('api', '/orders', { method: 'POST', body: '{}' }));
    await run(client.fetch('api', '/orders', { method: 'POST', body: '{}' }));
    const keys = seen.map((r) => r.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  test('a key header the caller set counts as a key, under the configured header name', async () => {
    const clock = createVirtualClock();
    const fake = fakeFetch(503, 200);
    const client = createClient({
      clock,
      fetch: fake.fetch,
      allowedOrigins: [ORIGIN],
      idempotencyHeader: 'X-Request-Id',
      dependencies: { api: {} },
    });
    const p = client.fetch('api', `${ORIGIN}/o`, { method: 'POST', headers: { 'X-Request-Id': 'mine' } });
    while (await clock.next()) {}
    await p;
    expect(fake.seen.map((r) => r.headers.get('x-request-id'))).toEqual(['mine', 'mine']);
  });

  test('no key goes to an origin that is not allowed, so such a POST is not retried', async () => {
    const { client, seen, run } = setup([503, 200], { idempotencyKeys: true, baseUrl: 'https://other.test' });
    await run(client.fetch('api', '/orders', { method: 'POST', body: '{}' }));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.has('idempotency-key')).toBe(false);
  });
});

describe('trace context', () => {
  const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

  test('one trace id per call, a new parent id per attempt, and the trace id is the correlation id', async () => {
    const { client, seen, run } = setup([429, 502, 200]);
    const { value } = await run(client.fetch('api', '/x'));
    expect(value?.status).toBe(200);
    const parts = seen.map((r) => TRACEPARENT.exec(r.headers.get('traceparent') ?? '')!);
    expect(parts.every(Boolean)).toBe(true);
    expect(new Set(parts.map((p) => p[1])).size).toBe(1);
    expect(new Set(parts.map((p) => p[2])).size).toBe(3);
    expect(parts[0]![1]).not.toMatch(/^0+$/);
  });

  test("the error's correlation id is the trace id sent", async () => {
    const { client, seen, run } = setup([404]);
    const { error } = await run(client.fetch('api', '/y'));
    expect(error?.correlationId).toBe(TRACEPARENT.exec(seen[0]!.headers.get('traceparent')!)![1]);
  });

  test("an app's own traceparent keeps its trace id", async () => {
    const { client, seen, run } = setup([200]);
    const mine = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await run(client.fetch('api', '/x', { headers: { traceparent: mine } }));
    expect(seen[0]!.headers.get('traceparent')).toMatch(
      /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/,
    );
  });

  test('other origins get no traceparent, no idempotency key and no deadline header', async () => {
    const clock = createVirtualClock();
    const fake = fakeFetch(200);
    const client = createClient({
      clock,
      fetch: fake.fetch,
      deadlineHeader: 'X-Timeout-Ms',
      dependencies: { api: { idempotencyKeys: true } },
    });
    await client.fetch('api', 'https://third-party.test/x', { method: 'POST' });
    expect([...fake.seen[0]!.headers.keys()]).toEqual([]);
  });

  test('the page origin gets them (jsdom runs on http://localhost:3000)', async () => {
    const clock = createVirtualClock();
    const fake = fakeFetch(200);
    const client = createClient({
      clock,
      fetch: fake.fetch,
      deadlineHeader: 'X-Timeout-Ms',
      dependencies: { api: {} },
    });
    await client.fetch('api', '/relative');
    expect(fake.seen[0]!.headers.get('traceparent')).toMatch(TRACEPARENT);
    expect(fake.seen[0]!.headers.get('x-timeout-ms')).toBe('10000');
  });

  test('trace: false sends no traceparent', async () => {
    const clock = createVirtualClock();
    const fake = fakeFetch(200);
    const client = createClient({ clock, fetch: fake.fetch, trace: false, dependencies: { api: {} } });
    await client.fetch('api', '/relative');
    expect(fake.seen[0]!.headers.has('traceparent')).toBe(false);
  });
});

describe('backoff and Retry-After on the clock', () => {
  test('sleeps are full jitter within [0, min(cap, base·2ⁿ)] and the next attempt starts after the sleep', async () => {
    const { client, clock, seen, retries } = setup([503], {
      retry: { maxAttempts: 4, baseMs: 100, capMs: 250 },
    });
    const times: number[] = [];
    client.on('attempt', () => times.push(clock.now()));
    const p = client.fetch('api', '/x').catch(() => {});
    while (await clock.next()) {}
    await p;
    expect(seen).toHaveLength(4);
    expect(retries.map((r) => r.delayMs).every((d, i) => d >= 0 && d <= Math.min(250, 100 * 2 ** i))).toBe(
      true,
    );
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeCloseTo(retries[i - 1]!.delayMs, 3);
  });

  test('Retry-After in seconds is waited in full, even past the backoff cap', async () => {
    const r = new Response('', { status: 429, headers: { 'retry-after': '7' } });
    const { client, clock, seen, retries } = setup([r, 200], { retry: { capMs: 1_000 } });
    const p = client.fetch('api', '/x');
    await clock.advanceAsync(6_999);
    expect(seen).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(seen).toHaveLength(2);
    expect((await p).status).toBe(200);
    expect(retries[0]!.delayMs).toBe(7_000);
  });

  test('Retry-After as an HTTP date is honoured against the injected clock', async () => {
    const clock = createVirtualClock(Date.UTC(2026, 10, 28, 12, 0, 0));
    const fake = fakeFetch(
      new Response('', { status: 503, headers: { 'retry-after': 'Sat, 28 Nov 2026 12:00:04 GMT' } }),
      200,
    );
    const client = createClient({ clock, fetch: fake.fetch, dependencies: { api: {} } });
    const p = client.fetch('api', '/x');
    await clock.advanceAsync(3_999);
    expect(fake.seen).toHaveLength(1);
    await clock.advanceAsync(1);
    expect((await p).status).toBe(200);
  });

  test('the wait is max(backoff, Retry-After): a short Retry-After never shortens the backoff', async () => {
    const r = new Response('', { status: 503, headers: { 'retry-after': '0' } });
    const { client, clock, retries } = setup([r, 200], {
      retry: { baseMs: 1_000, capMs: 1_000, jitter: 'equal' },
    });
    const p = client.fetch('api', '/x');
    while (await clock.next()) {}
    await p;
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(500);
  });

  test('invalid Retry-After values are ignored: the backoff applies', async () => {
    for (const value of ['1.5', '-5', '', '120, 120', 'soon']) {
      const r = new Response('', { status: 503, headers: { 'retry-after': value } });
      const { client, clock, retries } = setup([r, 200], { retry: { capMs: 100 } });
      const p = client.fetch('api', '/x');
      while (await clock.next()) {}
      await p;
      expect(retries[0]!.delayMs, value).toBeLessThanOrEqual(100);
    }
  });

  test('a Retry-After past the total deadline fails now, without sleeping, saying so', async () => {
    const r = new Response('', { status: 503, headers: { 'retry-after': '30' } });
    const { client, clock, seen } = setup([r, 200]);
    const start = clock.now();
    const error = await client.fetch('api', '/x').then(unexpected, asError);
    expect(clock.now()).toBe(start);
    expect(clock.pending).toBe(0);
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'http', status: 503, retryAt: start + 30_000, attempts: 1 });
    expect(error.message).toMatch(/asked to retry in 30 s, after this call's deadline/);
  });

  test('a retry whose sleep would end past the total deadline is not made', async () => {
    // base 4 s, equal jitter: the first sleep is in [2, 4] s; the deadline is 2 s away.
    const { client, clock, seen } = setup([503, 200], {
      timeouts: { totalMs: 2_000 },
      retry: { baseMs: 4_000, capMs: 4_000, jitter: 'equal' },
    });
    const error = await client.fetch('api', '/x').then(unexpected, asError);
    expect(clock.pending).toBe(0);
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
  });

  test('no attempt starts without time left: the headers wait shrinks to what is left', async () => {
    const { client, clock, seen } = setup(['hang'], {
      timeouts: { headersMs: 3_000, totalMs: 4_000 },
      retry: { baseMs: 1, capMs: 1 },
    });
    const p = client.fetch('api', '/x').then(unexpected, asError);
    while (await clock.next()) {}
    const error = await p;
    expect(seen).toHaveLength(2);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.total', attempts: 2 });
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBe(4_000);
  });
});
