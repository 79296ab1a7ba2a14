import { type BrownoutError, createClient, createVirtualClock, isBrownoutError } from '../../src/index.js';
import { asError, countAbortListeners, fakeFetch, stallingBody, unexpected } from '../helpers/fakeFetch.js';

const make = (
  steps: Parameters<typeof fakeFetch>,
  timeouts = {},
  retry: object = { baseMs: 1, capMs: 1 },
) => {
  const clock = createVirtualClock();
  const fake = fakeFetch(...steps);
  const client = createClient({ clock, fetch: fake.fetch, dependencies: { api: { timeouts, retry } } });
  return { clock, client, seen: fake.seen };
};
const body =
  (chunks: string[], end = false) =>
  () =>
    new Response(stallingBody(chunks, end), { status: 200 });

describe('time to headers', () => {
  test('headersMs fires, counts as a retriable timeout, and the next attempt gets a fresh wait', async () => {
    const { client, clock, seen } = make(['hang', 200], { headersMs: 1_000 });
    const p = client.fetch('api', '/x');
    await clock.advanceAsync(999);
    expect(seen).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(seen[0]!.signal?.aborted).toBe(true);
    await clock.advanceAsync(1);
    expect(seen).toHaveLength(2);
    expect((await p).status).toBe(200);
    expect(client.metrics('api').errorsByClass.timeout).toBe(1);
  });

  test('every attempt timing out ends with kind "timeout", code "timeout.headers"', async () => {
    const { client, clock } = make(['hang'], { headersMs: 500 });
    const p = client.fetch('api', '/x').then(unexpected, asError);
    while (await clock.next()) {}
    expect(await p).toMatchObject({ kind: 'timeout', code: 'timeout.headers', attempts: 3, retriable: true });
  });

  test('totalMs covers attempts and sleeps: the last attempt is cut at the total deadline', async () => {
    const { client, clock, seen } = make(
      ['hang'],
      { headersMs: 3_000, totalMs: 5_000 },
      { baseMs: 100, capMs: 100 },
    );
    const start = clock.now();
    const p = client.fetch('api', '/x').then(unexpected, asError);
    while (await clock.next()) {}
    const error = await p;
    expect(seen).toHaveLength(2);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.total', retriable: false });
    expect(clock.now() - start).toBe(5_000);
  });

  test('per-call timeouts override the dependency', async () => {
    const { client, clock } = make(['hang'], { headersMs: 5_000 }, { maxAttempts: 1 });
    const p = client.fetch('api', '/x', { timeouts: { headersMs: 10 } }).then(unexpected, asError);
    await clock.advanceAsync(10);
    expect(await p).toMatchObject({ code: 'timeout.headers' });
  });
});

describe('body stalls (whatwg/fetch#180: fetch has no read timeout)', () => {
  test('headers arrive, then the body stalls: the read fails after bodyIdleMs', async () => {
    const { client, clock } = make([body(['{"a":'])], { bodyIdleMs: 2_000 });
    const response = await client.fetch('api', '/x');
    const text = response.text().catch((e: unknown) => e);
    await clock.advanceAsync(1_999);
    await clock.advanceAsync(1);
    const error = (await text) as BrownoutError;
    expect(isBrownoutError(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.body', dependency: 'api' });
    expect(clock.pending).toBe(0);
  });

  test('a slow but steady body does not time out', async () => {
    const chunks = ['[', '1', ',', '2', ']'];
    const encoder = new TextEncoder();
    const clock = createVirtualClock();
    let i = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull: (c) =>
        new Promise<void>((resolve) => {
          clock.setTimeout(() => {
            if (i < chunks.length) c.enqueue(encoder.encode(chunks[i++]));
            else c.close();
            resolve();
          }, 1_999);
        }),
    });
    const client = createClient({
      clock,
      fetch: async () => new Response(stream),
      dependencies: { api: { timeouts: { bodyIdleMs: 2_000, totalMs: 60_000 } } },
    });
    const p = client.json('api', '/x');
    while (await clock.next()) {}
    expect(await p).toEqual([1, 2]);
  });

  test('the total deadline also bounds the body read', async () => {
    const { client, clock } = make([body(['x'])], { bodyIdleMs: 5_000, totalMs: 3_000 });
    const response = await client.fetch('api', '/x');
    const text = response.text().catch((e: unknown) => e);
    await clock.advanceAsync(3_000);
    expect(await text).toMatchObject({ code: 'timeout.total' });
  });

  test('a body nobody reads holds no timer', async () => {
    const { client, clock } = make([body(['x'])], { bodyIdleMs: 100 });
    await client.fetch('api', '/x');
    expect(clock.pending).toBe(0);
  });

  test('client.json reads a complete body', async () => {
    const { client } = make([body(['{"a":', '1}'], true)]);
    expect(await client.json('api', '/x')).toEqual({ a: 1 });
  });

  test('status, headers and url survive the body wrapper', async () => {
    const { client } = make([
      () => new Response('{}', { status: 201, statusText: 'Created', headers: { 'x-a': '1' } }),
    ]);
    const r = await client.fetch('api', '/x');
    expect([r.status, r.statusText, r.headers.get('x-a'), r.ok]).toEqual([201, 'Created', '1', true]);
  });

  test('every body reader of the handed-over response works and can be used once', async () => {
    const { client } = make([
      () => new Response('{"a":[1,2]}', { headers: { 'content-type': 'application/json' } }),
    ]);
    expect(await (await client.fetch('api', '/x')).json()).toEqual({ a: [1, 2] });
    expect(new TextDecoder().decode(await (await client.fetch('api', '/x')).arrayBuffer())).toBe(
      '{"a":[1,2]}',
    );
    const blob = await (await client.fetch('api', '/x')).blob();
    expect([blob.type, blob.size]).toEqual(['application/json', 11]);
    const r = await client.fetch('api', '/x');
    expect(r.bodyUsed).toBe(false);
    await r.text();
    expect(r.bodyUsed).toBe(true);
    await expect(r.text()).rejects.toThrow(TypeError);
  });

  test('a 204 is handed over as it is', async () => {
    const { client } = make([() => new Response(null, { status: 204 })]);
    const r = await client.fetch('api', '/x');
    expect(r.status).toBe(204);
    expect(await client.json('api', '/x')).toBeUndefined();
  });
});

describe("the caller's AbortSignal", () => {
  test('an already-aborted signal makes no request', async () => {
    const { client, seen } = make([200]);
    const reason = new Error('gone');
    const error = await client
      .fetch('api', '/x', { signal: AbortSignal.abort(reason) })
      .then(unexpected, asError);
    expect(seen).toHaveLength(0);
    expect(error).toMatchObject({ kind: 'aborted', code: 'aborted' });
    expect(error.cause).toBe(reason);
  });

  test('a user abort during a backoff sleep rejects at once, clears the timer and sends nothing more', async () => {
    const { client, clock, seen } = make([503, 200], {}, { baseMs: 10_000, capMs: 10_000, jitter: 'equal' });
    const controller = new AbortController();
    const p = client.fetch('api', '/x', { signal: controller.signal }).then(unexpected, asError);
    await clock.advanceAsync(100);
    expect(clock.pending).toBe(1);
    const reason = new Error('user left');
    controller.abort(reason);
    const error = await p;
    expect(error).toMatchObject({ kind: 'aborted', attempts: 1 });
    expect(error.cause).toBe(reason);
    expect(clock.pending).toBe(0);
    await clock.advanceAsync(60_000);
    expect(seen).toHaveLength(1);
  });

  test('a user abort and a deadline stay distinct errors', async () => {
    const { client, clock } = make(['hang'], { headersMs: 1_000 }, { maxAttempts: 1 });
    const controller = new AbortController();
    const aborted = client.fetch('api', '/x', { signal: controller.signal }).then(unexpected, asError);
    const timedOut = client.fetch('api', '/y').then(unexpected, asError);
    controller.abort();
    await clock.advanceAsync(1_000);
    expect((await aborted).kind).toBe('aborted');
    expect((await timedOut).kind).toBe('timeout');
    expect(client.metrics('api').errorsByClass).toMatchObject({ aborted: 1, timeout: 1 });
  });

  test('a user abort while the body is read rejects the read', async () => {
    const { client } = make([body(['{'])]);
    const controller = new AbortController();
    const response = await client.fetch('api', '/x', { signal: controller.signal });
    const text = response.text().catch((e: unknown) => e);
    await Promise.resolve();
    controller.abort(new Error('stop'));
    expect(await text).toMatchObject({ kind: 'aborted' });
  });

  test('a long-lived signal has no listener left after 500 calls of every kind (cockatiel#81)', async () => {
    const clock = createVirtualClock();
    const controller = new AbortController();
    const listeners = countAbortListeners(controller.signal);
    let n = 0;
    const client = createClient({
      clock,
      fetch: async () => {
        n++;
        if (n % 5 === 0) throw new TypeError('Failed to fetch');
        if (n % 5 === 1) return new Response('', { status: 503 });
        if (n % 5 === 2) return new Response(stallingBody(['{'], false));
        return new Response('{"ok":true}');
      },
      retryBudget: { minPerSecond: 1_000 },
      dependencies: { api: { retry: { baseMs: 1, capMs: 2 }, timeouts: { bodyIdleMs: 50 } } },
    });
    for (let i = 0; i < 500; i++) {
      const p = client.fetch('api', '/x', { signal: controller.signal }).then(
        // Read some bodies in full, leave others unread.
        (r) => (i % 2 ? r.text().catch(() => '') : undefined),
        () => undefined,
      );
      while (await clock.next()) {}
      await p;
      expect(listeners()).toBe(0);
    }
    expect(clock.pending).toBe(0);
  });
});
