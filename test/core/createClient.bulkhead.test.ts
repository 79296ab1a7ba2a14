import { createVirtualClock } from '../../src/core/clock.js';
import { createCoreClient as createClient } from '../../src/core/createCoreClient.js';
import type { DependencyOptions } from '../../src/core/options.js';
import { createSeededRandom } from '../../src/core/random.js';
import { asError, countAbortListeners, stubFetch, unexpected } from './support.js';

const setup = (dep: DependencyOptions) => {
  const clock = createVirtualClock(0);
  const stub = stubFetch(clock, 'hang');
  const client = createClient({
    clock,
    random: createSeededRandom(1),
    fetch: stub.fetch,
    dependencies: { api: { retry: { maxAttempts: 1 }, ...dep } },
  });
  return { clock, client, seen: stub.seen };
};

describe('the bulkhead (maxConcurrent, maxQueue)', () => {
  test('at most maxConcurrent in flight; the next wait in order; a full queue fails at once', async () => {
    const { client, clock, seen } = setup({ maxConcurrent: 2, maxQueue: 1, timeouts: { headersMs: 1_000 } });
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

  test('a waiter gives up at its deadline, and at once on abort, leaving no listener', async () => {
    const { client, clock } = setup({ maxConcurrent: 1, timeouts: { headersMs: 50_000, totalMs: 5_000 } });
    const first = client.fetch('api', 'https://a.test/').catch(asError);
    const controller = new AbortController();
    const listeners = countAbortListeners(controller.signal);
    const aborted = client
      .fetch('api', 'https://a.test/', { signal: controller.signal })
      .then(unexpected, asError);
    const late = client.fetch('api', 'https://a.test/').then(unexpected, asError);
    expect(listeners()).toBe(1);
    controller.abort();
    expect(await aborted).toMatchObject({ kind: 'aborted' });
    expect(listeners()).toBe(0);
    await clock.advanceAsync(5_000);
    expect(await late).toMatchObject({ kind: 'timeout', code: 'timeout.total' });
    await first;
    expect(clock.pending).toBe(0);
  });
});
