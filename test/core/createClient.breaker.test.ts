import { createVirtualClock } from '../../src/core/clock.js';
import { createCoreClient as createClient } from '../../src/core/createCoreClient.js';
import type { DependencyOptions } from '../../src/core/options.js';
import { createSeededRandom } from '../../src/core/random.js';
import type { BreakerEvent } from '../../src/core/types.js';
import { type Answer, asError, retryAfter, stubFetch, unexpected } from './support.js';

const setup = (answers: Answer[], dep: DependencyOptions = {}) => {
  const clock = createVirtualClock(0);
  const stub = stubFetch(clock, ...answers);
  const client = createClient({
    clock,
    random: createSeededRandom(1),
    fetch: stub.fetch,
    retryBudget: { minPerSecond: 1_000 },
    dependencies: { api: { retry: { maxAttempts: 1 }, ...dep }, other: {} },
  });
  const breakerEvents: BreakerEvent[] = [];
  client.on('breaker', (e) => breakerEvents.push(e));
  return { clock, client, seen: stub.seen, breakerEvents };
};
const failTimes = async (client: ReturnType<typeof setup>['client'], n: number) => {
  for (let i = 0; i < n; i++) await client.fetch('api', 'https://a.test/').catch(() => {});
};

describe('the breaker in front of every attempt', () => {
  test('opens after 5 consecutive failed calls; the next call fails fast without a request', async () => {
    const { client, seen, breakerEvents } = setup([503]);
    await failTimes(client, 5);
    expect(seen).toHaveLength(5);
    const error = await client.fetch('api', 'https://a.test/').then(unexpected, asError);
    expect(seen).toHaveLength(5);
    expect(error).toMatchObject({
      kind: 'breaker-open',
      code: 'breaker.open',
      retryAt: 30_000,
      dependency: 'api',
    });
    expect(error.cause).toBeUndefined();
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
    await failTimes(client, 5);
    const a = await client.fetch('api', 'https://a.test/').then(unexpected, asError);
    const b = await client.fetch('api', 'https://a.test/').then(unexpected, asError);
    expect(a).not.toBe(b);
    expect(a.correlationId).not.toBe(b.correlationId);
  });

  test('4xx answers and user aborts do not count as failures', async () => {
    const { client } = setup([404]);
    await failTimes(client, 20);
    for (let i = 0; i < 20; i++)
      await client.fetch('api', 'https://a.test/', { signal: AbortSignal.abort() }).catch(() => {});
    expect(client.breaker('api').state.state).toBe('closed');
  });

  test('a retry that the open breaker refuses ends the call with the breaker error, the last failure as cause', async () => {
    const { client, clock, seen } = setup([503], {
      retry: { maxAttempts: 3, baseMs: 1, capMs: 1 },
      breaker: { consecutiveFailures: 2 },
    });
    const p = client.fetch('api', 'https://a.test/').then(unexpected, asError);
    while (await clock.next()) {}
    const error = await p;
    expect(seen).toHaveLength(2);
    expect(error).toMatchObject({ kind: 'breaker-open', attempts: 2 });
    expect(error.cause).toMatchObject({ kind: 'http', status: 503 });
  });

  test('after openMs one probe goes out; its success closes the breaker', async () => {
    const { client, clock, seen, breakerEvents } = setup([503, 503, 503, 503, 503, 200]);
    await failTimes(client, 5);
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
    const { client, clock, seen } = setup([retryAfter(503, '20'), 200]);
    await client.fetch('api', 'https://a.test/1').catch(() => {});
    const held = await client.fetch('api', 'https://a.test/2').then(unexpected, asError);
    expect(held).toMatchObject({ kind: 'breaker-open', code: 'breaker.held', retryAt: 20_000 });
    expect(held.message).toMatch(/asked not to be called until .*\(Retry-After\)/);
    expect(seen).toHaveLength(1);
    expect(client.status('api')).toMatchObject({ health: 'down', retryAt: 20_000 });
    await clock.advanceAsync(20_000);
    await expect(client.fetch('api', 'https://a.test/3')).resolves.toHaveProperty('status', 200);
  });

  test('isolate and reset are the operator switches; the state survives toJSON/restore', async () => {
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

test('a 4xx answering the half-open probe closes the breaker: the service answered (it never stays probing)', async () => {
  const s = setup([503, 401], { breaker: { consecutiveFailures: 1, openMs: 1_000 } });
  await s.client.fetch('api', 'https://a.test/x').catch(() => {});
  expect(s.client.breaker('api').state.state).toBe('open');
  await s.clock.advanceAsync(2_000);
  const error = await s.client.fetch('api', 'https://a.test/x').then(
    () => undefined,
    (e: { status?: number }) => e,
  );
  expect(error?.status).toBe(401);
  expect(s.client.breaker('api').state.state).toBe('closed');
});
