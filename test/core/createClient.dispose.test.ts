// dispose() must leave no timer running (opossum#378: https://github.com/nodeshift/opossum/issues/378).
import { createManualEnvironment } from '../../src/core/environment.js';
import { asError, outcome, setup, stallingBody, unexpected } from './support.js';

describe('dispose', () => {
  test('with calls in flight and asleep: no timer is left, and both reject with kind "aborted"', async () => {
    const { client, clock, seen } = setup(['hang', 503], {
      retry: { baseMs: 5_000, capMs: 5_000, jitter: 'equal' },
    });
    const inFlight = client.fetch('api', '/a').then(unexpected, asError);
    await clock.flush();
    const sleeping = client.fetch('api', '/b').then(unexpected, asError);
    await clock.flush();
    expect(seen).toHaveLength(2);
    expect(clock.pending).toBe(3); // the first call's headers and slow timers, the second call's sleep
    client.dispose();
    expect(clock.pending).toBe(0);
    expect(await inFlight).toMatchObject({ kind: 'aborted', code: 'aborted.disposed', dependency: 'api' });
    expect(await sleeping).toMatchObject({ kind: 'aborted', code: 'aborted.disposed', attempts: 1 });
    expect(seen[0]!.signal?.aborted).toBe(true);
    await clock.advanceAsync(60_000);
    expect(seen).toHaveLength(2);
  });

  test('later calls reject without a request, listeners are gone, and dispose twice is fine', async () => {
    const { client, seen } = setup([200]);
    const listener = vi.fn();
    client.on('attempt', listener);
    client.dispose();
    client.dispose();
    await expect(client.fetch('api', '/x')).rejects.toMatchObject({ kind: 'aborted' });
    await expect(client.json('api', '/x')).rejects.toMatchObject({ kind: 'aborted' });
    expect(seen).toHaveLength(0);
    expect(listener).not.toHaveBeenCalled();
  });

  test('a body being read when the client is disposed fails the read and leaves no timer', async () => {
    const { client, clock } = setup([() => new Response(stallingBody(['{']))]);
    const response = await client.fetch('api', '/x');
    const text = response.text().then(unexpected, asError);
    await clock.flush();
    expect(clock.pending).toBe(2); // the body's idle timeout and its slow wait
    client.dispose();
    expect(clock.pending).toBe(0);
    const error = await text;
    expect(error).toMatchObject({ kind: 'aborted', dependency: 'api' });
    expect(error.cause).toMatchObject({ code: 'aborted.disposed' });
  });

  test('an error body being read when the client is disposed: no timer, no further attempt', async () => {
    const { client, clock, seen } = setup(
      [() => new Response(stallingBody(['{"ti']), { status: 503 }), 200],
      {
        retry: { baseMs: 1, capMs: 1 },
      },
    );
    const result = outcome(client.fetch('api', '/x'));
    await clock.flush();
    expect(clock.pending).toBe(1);
    client.dispose();
    await clock.flush();
    expect(clock.pending).toBe(0);
    const { error } = await result;
    expect(error).toMatchObject({ kind: 'aborted', code: 'aborted.disposed' });
    await clock.advanceAsync(60_000);
    expect(seen).toHaveLength(1);
  });

  test('a call waiting for a bulkhead slot is refused, with no timer left', async () => {
    const { client, clock } = setup(['hang'], { maxConcurrent: 1 });
    const first = outcome(client.fetch('api', '/1'));
    const waiting = outcome(client.fetch('api', '/2'));
    await clock.flush();
    expect(client.metrics('api')).toMatchObject({ inFlight: 1, queued: 1 });
    client.dispose();
    expect(clock.pending).toBe(0);
    expect((await first).error?.kind).toBe('aborted');
    expect((await waiting).error?.kind).toBe('aborted');
  });

  test("a half-open breaker's probe timer is stopped", async () => {
    const { client, clock } = setup(['hang'], {
      retry: { maxAttempts: 1 },
      breaker: { consecutiveFailures: 1, openMs: 1_000 },
      timeouts: { headersMs: 100 },
    });
    const first = outcome(client.fetch('api', '/1'));
    await clock.advanceAsync(100);
    expect((await first).error?.kind).toBe('timeout');
    await clock.advanceAsync(1_000);
    const probe = outcome(client.fetch('api', '/probe'));
    await clock.flush();
    expect(client.breaker('api').state.state).toBe('half-open');
    client.dispose();
    expect(clock.pending).toBe(0);
    expect((await probe).error?.kind).toBe('aborted');
  });
});

// A listener may dispose the client mid-call: what that call was about to do next must not happen.
describe('dispose() called inside a listener', () => {
  test('in an attempt listener: nothing is sent, no timer is left, the call rejects as disposed', async () => {
    const { client, clock, seen } = setup([200]);
    client.on('attempt', () => client.dispose());
    const result = outcome(client.fetch('api', '/x'));
    await clock.flush();
    expect(seen).toHaveLength(0);
    expect(clock.pending).toBe(0);
    expect((await result).error).toMatchObject({ kind: 'aborted', code: 'aborted.disposed', attempts: 1 });
  });

  test('in a retry listener: no sleep and no further attempt', async () => {
    const { client, clock, seen } = setup([503, 200], { retry: { baseMs: 1_000, capMs: 1_000 } });
    client.on('retry', () => client.dispose());
    const result = outcome(client.fetch('api', '/x'));
    await clock.flush();
    expect(clock.pending).toBe(0);
    expect((await result).error).toMatchObject({ kind: 'aborted', code: 'aborted.disposed' });
    await clock.advanceAsync(60_000);
    expect(seen).toHaveLength(1);
  });

  test('in a breaker listener as it opens: no probe-due timer, no retry', async () => {
    const { client, clock, seen } = setup([503, 200], {
      breaker: { consecutiveFailures: 1, openMs: 1_000 },
      probe: '/health',
    });
    client.on('breaker', () => client.dispose());
    const result = outcome(client.fetch('api', '/x'));
    await clock.flush();
    expect(clock.pending).toBe(0);
    expect((await result).error).toMatchObject({ kind: 'aborted', code: 'aborted.disposed' });
    await clock.advanceAsync(60_000);
    expect(seen).toHaveLength(1);
  });

  test('in a connectivity listener: the probes that came due offline set no timer', async () => {
    const environment = createManualEnvironment();
    const { client, clock, seen } = setup(
      [503, 200],
      { retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 1, openMs: 1_000 }, probe: '/health' },
      { environment },
    );
    await client.fetch('api', '/x').then(unexpected, asError);
    environment.set({ online: false });
    await clock.advanceAsync(1_000); // the open period ends offline: its probe waits for the return
    expect(clock.pending).toBe(0);
    client.on('connectivity', () => client.dispose());
    environment.set({ online: true });
    expect(clock.pending).toBe(0);
    await clock.advanceAsync(60_000);
    expect(seen).toHaveLength(1);
  });
});
