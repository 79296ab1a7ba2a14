import { createSeededRandom } from '../../src/core/random.js';
import { asError, countAbortListeners, outcome, setup, stallingBody, unexpected } from './support.js';

describe("the caller's AbortSignal", () => {
  test('an already-aborted signal makes no request at all', async () => {
    const { client, clock, seen } = setup([200]);
    const reason = new Error('gone');
    const error = await client
      .fetch('api', '/x', { signal: AbortSignal.abort(reason) })
      .then(unexpected, asError);
    expect(seen).toHaveLength(0);
    expect(error).toMatchObject({ kind: 'aborted', code: 'aborted', dependency: 'api' });
    expect(error.cause).toBe(reason);
    expect(clock.pending).toBe(0);
    expect(client.metrics('api')).toMatchObject({ attempts: 0, failures: 1, errorsByClass: { aborted: 1 } });
  });

  test('a user abort during a backoff sleep rejects at once, clears the timer, sends nothing more, keeps the reason', async () => {
    const { client, clock, seen } = setup([503, 200], {
      retry: { baseMs: 10_000, capMs: 10_000, jitter: 'equal' },
    });
    const controller = new AbortController();
    const result = outcome(client.fetch('api', '/x', { signal: controller.signal }));
    await clock.advanceAsync(100);
    expect(seen).toHaveLength(1);
    expect(clock.pending).toBe(1);
    const before = clock.now();
    const reason = new Error('user left');
    controller.abort(reason);
    await clock.flush();
    expect(clock.now()).toBe(before);
    const { error } = await result;
    expect(error).toMatchObject({ kind: 'aborted', code: 'aborted', attempts: 1 });
    expect(error?.cause).toBe(reason);
    expect(clock.pending).toBe(0);
    await clock.advanceAsync(60_000);
    expect(seen).toHaveLength(1);
  });

  test('an abort that lands just as the sleep ends still sends nothing more', async () => {
    const { client, clock, seen } = setup([503, 200], {
      retry: { baseMs: 1_000, capMs: 1_000, jitter: 'equal' },
    });
    const controller = new AbortController();
    const result = outcome(client.fetch('api', '/x', { signal: controller.signal }));
    await clock.flush();
    expect(clock.pending).toBe(1);
    // The sleep's timer and the abort fire in the same task, before any promise reaction runs.
    clock.setTimeout(() => controller.abort(new Error('late')), 1_000);
    clock.advance(1_000);
    await clock.flush();
    const { error } = await result;
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'aborted' });
    expect(clock.pending).toBe(0);
  });

  test('a user abort while the attempt is in flight aborts the fetch with the reason, and is not retried', async () => {
    const { client, clock, seen } = setup(['hang']);
    const controller = new AbortController();
    const result = outcome(client.fetch('api', '/x', { signal: controller.signal }));
    await clock.flush();
    const reason = new Error('stop');
    controller.abort(reason);
    const { error } = await result;
    expect(seen[0]!.signal?.aborted).toBe(true);
    expect(seen[0]!.signal?.reason).toBe(reason);
    expect(error).toMatchObject({ kind: 'aborted', attempts: 1 });
    expect(error?.cause).toBe(reason);
    expect(clock.pending).toBe(0);
    await clock.advanceAsync(60_000);
    expect(seen).toHaveLength(1);
  });

  test('a user abort while an error body is read ends the call as aborted, with no further request', async () => {
    const { client, clock, seen } = setup(
      [() => new Response(stallingBody(['{"ti']), { status: 503 }), 200],
      { timeouts: { bodyIdleMs: 5_000 }, retry: { baseMs: 1, capMs: 1 } },
    );
    const controller = new AbortController();
    const result = outcome(client.fetch('api', '/x', { signal: controller.signal }));
    await clock.flush();
    controller.abort(new Error('stop'));
    await clock.advanceAsync(60_000);
    const { error } = await result;
    expect(seen).toHaveLength(1);
    expect(error?.kind).toBe('aborted');
    expect(clock.pending).toBe(0);
  });

  test('a user abort while the body is read rejects the read with kind "aborted" and the reason', async () => {
    const { client, clock } = setup([() => new Response(stallingBody(['{']))]);
    const controller = new AbortController();
    const response = await client.fetch('api', '/x', { signal: controller.signal });
    const text = response.text().then(unexpected, asError);
    await clock.flush();
    const reason = new Error('stop');
    controller.abort(reason);
    const error = await text;
    expect(error).toMatchObject({ kind: 'aborted', dependency: 'api' });
    expect(error.cause).toBe(reason);
    expect(clock.pending).toBe(0);
  });

  test('user aborts are never counted by the breaker', async () => {
    const { client } = setup(['hang']);
    for (let i = 0; i < 20; i++) {
      const controller = new AbortController();
      const p = client.fetch('api', '/x', { signal: controller.signal }).catch(() => {});
      controller.abort();
      await p;
    }
    for (let i = 0; i < 20; i++)
      await client.fetch('api', '/x', { signal: AbortSignal.abort() }).catch(() => {});
    expect(client.breaker('api').state.state).toBe('closed');
  });
});

describe('listeners on a long-lived signal (cockatiel#81, aws-sdk-js-v3#4872)', () => {
  // https://github.com/connor4312/cockatiel/issues/81 — https://github.com/aws/aws-sdk-js-v3/issues/4872
  test('500 calls of every kind on one signal leave zero abort listeners', async () => {
    let n = 0;
    const { client, clock } = setup(
      [
        () => {
          n++;
          switch (n % 6) {
            case 0:
              throw new TypeError('Failed to fetch');
            case 1:
              return new Response('', { status: 503 });
            case 2:
              return new Response(stallingBody(['{'])); // a body that stalls
            case 3:
              return new Response('', { status: 404 });
            default:
              return new Response('{"ok":true}');
          }
        },
      ],
      {
        retry: { baseMs: 1, capMs: 2 },
        timeouts: { bodyIdleMs: 50 },
        // Stalls count for the breaker; it is off here so every kind of call keeps being made.
        breaker: { consecutiveFailures: Number.POSITIVE_INFINITY, minimumCalls: Number.POSITIVE_INFINITY },
      },
      { retryBudget: { minPerSecond: 1_000 }, random: createSeededRandom(3) },
    );
    const controller = new AbortController();
    const listeners = countAbortListeners(controller.signal);
    const kinds = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const p = client.fetch('api', '/x', { signal: controller.signal }).then(
        // Read some bodies in full (the stalled ones time out), leave the others unread.
        (r) => {
          const read = i % 3 !== 0;
          kinds.add(read ? 'read' : 'unread');
          return read ? r.text().catch((e: unknown) => kinds.add(asError(e).code)) : undefined;
        },
        (e: unknown) => kinds.add(asError(e).kind),
      );
      while (await clock.next()) {}
      await p;
      expect(listeners()).toBe(0);
    }
    expect(kinds).toEqual(new Set(['read', 'unread', 'timeout.body', 'http']));
    expect(client.metrics('api').retries).toBeGreaterThan(100);
    expect(clock.pending).toBe(0);
    expect(controller.signal.aborted).toBe(false);
  });

  test('a listener exists only while a call waits: during the attempt and during the sleep', async () => {
    const { client, clock } = setup(['hang', 503, 200], {
      timeouts: { headersMs: 100 },
      retry: { baseMs: 1_000, capMs: 1_000, jitter: 'equal' },
    });
    const controller = new AbortController();
    const listeners = countAbortListeners(controller.signal);
    const p = outcome(client.fetch('api', '/x', { signal: controller.signal }));
    await clock.flush();
    expect(listeners()).toBe(1);
    await clock.advanceAsync(100);
    expect(listeners()).toBe(1);
    while (await clock.next()) {}
    expect((await p).value?.status).toBe(200);
    expect(listeners()).toBe(0);
  });
});

describe('an abort from inside a listener', () => {
  test('aborting the call in its attempt listener sends nothing and leaves no timer', async () => {
    const { client, clock, seen } = setup([200]);
    const controller = new AbortController();
    client.on('attempt', () => controller.abort(new Error('changed my mind')));
    const result = outcome(client.fetch('api', '/x', { signal: controller.signal }));
    await clock.flush();
    expect(seen).toHaveLength(0);
    expect(clock.pending).toBe(0);
    expect((await result).error).toMatchObject({ kind: 'aborted', code: 'aborted' });
  });

  test('aborting the call in its retry listener ends it at once, without sleeping the backoff first', async () => {
    const { client, clock, seen } = setup([503, 200], { retry: { baseMs: 1_000, capMs: 1_000 } });
    const controller = new AbortController();
    client.on('retry', () => controller.abort(new Error('changed my mind')));
    const result = outcome(client.fetch('api', '/x', { signal: controller.signal }));
    await clock.flush();
    expect(clock.pending).toBe(0);
    expect((await result).error).toMatchObject({ kind: 'aborted', attempts: 1 });
    expect(seen).toHaveLength(1);
  });
});
