import { isBrownoutError } from '../../src/core/BrownoutError.js';
import { createSeededRandom } from '../../src/core/random.js';
import { asError, outcome, setup, stallingBody, tricklingBody, unexpected } from './support.js';

const streaming =
  (body: () => ReadableStream<Uint8Array>, status = 200) =>
  () =>
    new Response(body(), { status });

describe('time to headers (headersMs)', () => {
  test('a hung attempt is aborted after headersMs, and the retry gets its own fresh wait', async () => {
    const { client, clock, seen } = setup(['hang', 200], {
      timeouts: { headersMs: 1_000 },
      retry: { baseMs: 1, capMs: 1 },
    });
    const p = client.fetch('api', '/x');
    await clock.advanceAsync(999);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.signal?.aborted).toBe(false);
    await clock.advanceAsync(1);
    expect(seen[0]!.signal?.aborted).toBe(true);
    await clock.advanceAsync(1);
    expect(seen).toHaveLength(2);
    expect((await p).status).toBe(200);
    expect(client.metrics('api').errorsByClass.timeout).toBe(1);
  });

  test('when every attempt hangs: kind "timeout", code "timeout.headers", retried, each attempt cut at headersMs', async () => {
    const { client, seen, run } = setup(['hang'], {
      timeouts: { headersMs: 500 },
      retry: { baseMs: 1, capMs: 1 },
    });
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(3);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.headers', attempts: 3, retriable: true });
    expect(error?.message).toBe('api did not answer within 500 ms.');
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(500);
  });

  test('a call can set its own time limits', async () => {
    const { client, clock } = setup(['hang'], { timeouts: { headersMs: 5_000 }, retry: { maxAttempts: 1 } });
    const p = client.fetch('api', '/x', { timeouts: { headersMs: 10 } }).then(unexpected, asError);
    await clock.advanceAsync(10);
    expect(await p).toMatchObject({ code: 'timeout.headers' });
  });
});

describe('the total deadline (totalMs) covers attempts and sleeps', () => {
  test('the last attempt is cut at the deadline, as a total timeout that is not retriable', async () => {
    const { client, clock, seen, run } = setup(['hang'], {
      timeouts: { headersMs: 3_000, totalMs: 5_000 },
      retry: { baseMs: 100, capMs: 100 },
    });
    const start = clock.now();
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(2);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.total', retriable: false, attempts: 2 });
    expect(error?.message).toBe('The call to api ran out of its 5000 ms.');
    expect(clock.now() - start).toBe(5_000);
    expect(clock.pending).toBe(0);
  });

  test('no attempt starts without time left, whatever the attempts and sleeps', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { client, clock, seen, run } = setup(
        ['hang'],
        { timeouts: { headersMs: 700, totalMs: 3_000 }, retry: { maxAttempts: 20, baseMs: 200, capMs: 800 } },
        { random: createSeededRandom(seed) },
      );
      const start = clock.now();
      const { error } = await run(client.fetch('api', '/x'));
      expect(error?.kind).toBe('timeout');
      expect(seen.every((r) => r.at < start + 3_000)).toBe(true);
      expect(clock.now() - start).toBeLessThanOrEqual(3_000);
    }
  });

  test('a retry whose sleep would end past the total deadline is not made', async () => {
    // Equal jitter over a 4 s base: the first sleep is in [2 s, 4 s]; the deadline is 2 s away.
    const { client, clock, seen } = setup([503, 200], {
      timeouts: { totalMs: 2_000 },
      retry: { baseMs: 4_000, capMs: 4_000, jitter: 'equal' },
    });
    const start = clock.now();
    const error = await client.fetch('api', '/x').then(unexpected, asError);
    expect(clock.now()).toBe(start);
    expect(clock.pending).toBe(0);
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
  });

  test('the headers wait of a late attempt shrinks to the time left', async () => {
    const { client, clock, seen, run } = setup(['hang'], {
      timeouts: { headersMs: 3_000, totalMs: 4_000 },
      retry: { baseMs: 1, capMs: 1 },
    });
    const start = clock.now();
    const { error } = await run(client.fetch('api', '/x'));
    expect(seen).toHaveLength(2);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.total', attempts: 2 });
    expect(clock.now() - start).toBe(4_000);
  });
});

describe('body stalls after the headers (whatwg/fetch#180: fetch has no read timeout)', () => {
  test('headers arrive, one chunk, then nothing: reading rejects with timeout.body after bodyIdleMs', async () => {
    const { client, clock } = setup([streaming(() => stallingBody(['{"a":']))], {
      timeouts: { bodyIdleMs: 2_000 },
    });
    const response = await client.fetch('api', '/x');
    expect(response.status).toBe(200);
    let settled = false;
    const text = response.text().then(unexpected, (e: unknown) => {
      settled = true;
      return asError(e);
    });
    await clock.advanceAsync(1_999);
    expect(settled).toBe(false);
    await clock.advanceAsync(1);
    const error = await text;
    expect(isBrownoutError(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'timeout',
      code: 'timeout.body',
      dependency: 'api',
      retriable: true,
    });
    expect(error.message).toBe('api stopped sending its response for 2000 ms.');
    expect(clock.pending).toBe(0);
  });

  test('client.json on a stalled body rejects with timeout.body too', async () => {
    const { client, clock } = setup([streaming(() => stallingBody(['{"a":']))], {
      timeouts: { bodyIdleMs: 2_000 },
    });
    const p = client.json('api', '/x').then(unexpected, asError);
    await clock.advanceAsync(2_000);
    expect(await p).toMatchObject({ kind: 'timeout', code: 'timeout.body' });
  });

  test('a slow but steady body (a chunk every bodyIdleMs - 1) does not time out', async () => {
    let clockRef: Parameters<typeof tricklingBody>[0] | undefined;
    const { client, clock } = setup(
      [streaming(() => tricklingBody(clockRef!, ['[', '1', ',', '2', ',', '3', ']'], 1_999))],
      { timeouts: { bodyIdleMs: 2_000, totalMs: 60_000 } },
    );
    clockRef = clock;
    const p = client.json('api', '/x');
    while (await clock.next()) {}
    expect(await p).toEqual([1, 2, 3]);
  });

  test('the total deadline also bounds the body read', async () => {
    const { client, clock } = setup([streaming(() => stallingBody(['x']))], {
      timeouts: { bodyIdleMs: 5_000, totalMs: 3_000 },
    });
    const response = await client.fetch('api', '/x');
    const text = response.text().then(unexpected, asError);
    await clock.advanceAsync(3_000);
    expect(await text).toMatchObject({ kind: 'timeout', code: 'timeout.total' });
  });

  test('a body nobody reads holds no timer', async () => {
    const { client, clock } = setup([streaming(() => stallingBody(['x']))], {
      timeouts: { bodyIdleMs: 100 },
    });
    await client.fetch('api', '/x');
    expect(clock.pending).toBe(0);
  });

  test('an error body that stalls still gives a clean HTTP error, after bodyIdleMs, and is retried', async () => {
    const { client, clock, seen, run } = setup([streaming(() => stallingBody(['{"title":"Bu']), 503), 200], {
      timeouts: { bodyIdleMs: 1_000 },
      retry: { baseMs: 1, capMs: 1 },
    });
    const start = clock.now();
    const { value } = await run(client.fetch('api', '/x'));
    expect(value?.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.at - start).toBeGreaterThanOrEqual(1_000);
  });
});

describe('a deadline and a user abort stay distinct', () => {
  test("Brownout's deadline is kind 'timeout'; the caller's abort is kind 'aborted'", async () => {
    const { client, clock } = setup(['hang'], { timeouts: { headersMs: 1_000 }, retry: { maxAttempts: 1 } });
    const controller = new AbortController();
    const aborted = client.fetch('api', '/x', { signal: controller.signal }).then(unexpected, asError);
    const timedOut = client.fetch('api', '/y').then(unexpected, asError);
    const reason = new Error('user left');
    controller.abort(reason);
    await clock.advanceAsync(1_000);
    expect(await aborted).toMatchObject({ kind: 'aborted', code: 'aborted', retriable: false });
    expect((await aborted).cause).toBe(reason);
    expect(await timedOut).toMatchObject({ kind: 'timeout', code: 'timeout.headers' });
    expect((await timedOut).cause).toBeUndefined();
    expect(client.metrics('api').errorsByClass).toMatchObject({ aborted: 1, timeout: 1 });
  });

  test('the fetch signal of a timed-out attempt carries the timeout, not an AbortError of the user', async () => {
    const { client, seen, run } = setup(['hang'], {
      timeouts: { headersMs: 100 },
      retry: { maxAttempts: 1 },
    });
    await run(client.fetch('api', '/x'));
    expect(seen[0]!.signal?.reason).toMatchObject({ kind: 'timeout', code: 'timeout.headers' });
  });

  test('a body stall and a user abort during the read stay distinct as well', async () => {
    const a = setup([streaming(() => stallingBody(['{']))], { timeouts: { bodyIdleMs: 500 } });
    const controller = new AbortController();
    const aborted = (await a.client.fetch('api', '/x', { signal: controller.signal }))
      .text()
      .then(unexpected, asError);
    const stalled = (await a.client.fetch('api', '/y')).text().then(unexpected, asError);
    await a.clock.flush();
    controller.abort();
    await a.clock.advanceAsync(500);
    expect((await aborted).kind).toBe('aborted');
    expect((await stalled).kind).toBe('timeout');
  });
});

// The call's deadline and its latencies are on the monotonic clock: a wall clock set by the user or NTP
// (VirtualClock.step) neither ends a call early nor stretches it.
describe('wall-clock steps during a call', () => {
  test('an hour forward during a backoff: the retry still goes (the deadline is not skipped)', async () => {
    const { client, clock, seen } = setup([503, 200], { retry: { baseMs: 1_000, capMs: 1_000 } });
    const result = outcome(client.fetch('api', '/x'));
    await clock.flush();
    clock.step(3_600_000);
    while (await clock.next()) {}
    expect((await result).value?.status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  test('an hour back during a backoff: the call still ends at its totalMs', async () => {
    const { client, clock } = setup([503, 'hang'], {
      retry: { baseMs: 1_000, capMs: 1_000 },
      timeouts: { headersMs: 60_000, totalMs: 5_000 },
    });
    const t0 = clock.monotonic();
    const ended = client.fetch('api', '/x').then(unexpected, (e: unknown) => ({
      error: asError(e),
      at: clock.monotonic(),
    }));
    await clock.flush();
    clock.step(-3_600_000);
    while (await clock.next()) {}
    const { error, at } = await ended;
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.total' });
    expect(at).toBe(t0 + 5_000);
  });

  test('an hour forward before the body is read: the body is not timed out by the step', async () => {
    const { client, clock } = setup([() => new Response(stallingBody(['{"a":1}'], true))]);
    const response = await client.fetch('api', '/x');
    clock.step(3_600_000);
    await expect(response.text()).resolves.toBe('{"a":1}');
  });

  test('a step during an attempt is not counted in its latency', async () => {
    const { client, clock } = setup([
      () =>
        new Promise<Response>((resolve) => {
          clock.setTimeout(() => {
            clock.step(3_600_000);
            resolve(new Response('{}'));
          }, 10);
        }),
    ]);
    const result = outcome(client.fetch('api', '/x'));
    while (await clock.next()) {}
    expect((await result).value?.status).toBe(200);
    expect(client.metrics('api').latency.p99).toBeLessThanOrEqual(10);
    expect(client.status('api').p95Ms).toBeLessThanOrEqual(10);
  });
});
