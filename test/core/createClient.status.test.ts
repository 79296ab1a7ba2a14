import { createVirtualClock } from '../../src/core/clock.js';
import { createCoreClient as createClient } from '../../src/core/createCoreClient.js';
import type { DependencyOptions } from '../../src/core/options.js';
import { createSeededRandom } from '../../src/core/random.js';
import { type Answer, outcome, stubFetch } from './support.js';

const setup = (answers: Answer[], dep: DependencyOptions = {}) => {
  const clock = createVirtualClock(0);
  const stub = stubFetch(clock, ...answers);
  const client = createClient({
    clock,
    random: createSeededRandom(1),
    fetch: stub.fetch,
    retryBudget: { minPerSecond: 1_000 },
    dependencies: { api: { retry: { maxAttempts: 1 }, ...dep } },
  });
  const settle = async <T>(p: Promise<T>) => {
    const done = outcome(p);
    while (await clock.next()) {}
    return done;
  };
  return { clock, client, settle };
};

describe('health and targets', () => {
  test('a fresh dependency is healthy, with a success rate of 1', () => {
    const { client } = setup([200]);
    expect(client.status('api')).toMatchObject({
      dependency: 'api',
      health: 'healthy',
      degradedBecause: [],
      breaker: { state: 'closed' },
      successRate: 1,
      retryRate: 0,
    });
  });

  test('a slow dependency is degraded, not down, and says why', async () => {
    const clock = createVirtualClock(0);
    const client = createClient({
      clock,
      random: createSeededRandom(1),
      fetch: () => new Promise((resolve) => clock.setTimeout(() => resolve(new Response('')), 900)),
      dependencies: { api: { slo: { p95Ms: 500 } } },
    });
    for (let i = 0; i < 20; i++) {
      const p = outcome(client.fetch('api', 'https://a.test/'));
      while (await clock.next()) {}
      await p;
    }
    expect(client.status('api')).toMatchObject({ health: 'degraded', degradedBecause: ['latency'] });
  });

  test('retries over 5 % of calls mark it degraded; a success rate under target too', async () => {
    const { client, settle } = setup([503, 200, 200], {
      retry: { maxAttempts: 2, baseMs: 1, capMs: 1 },
      slo: { successRate: 0.99 },
    });
    await settle(client.fetch('api', 'https://a.test/'));
    await settle(client.fetch('api', 'https://a.test/'));
    expect(client.status('api')).toMatchObject({ health: 'degraded', degradedBecause: ['retries'] });
    const b = setup([404], { slo: { successRate: 0.99 } });
    await b.settle(b.client.fetch('api', 'https://a.test/'));
    expect(b.client.status('api').degradedBecause).toEqual(['success-rate']);
  });

  test('status reports the last success and the last error as problem JSON', async () => {
    const { client, clock } = setup([200, 404]);
    await client.fetch('api', 'https://a.test/');
    await clock.advanceAsync(10);
    await client.fetch('api', 'https://a.test/').catch(() => {});
    expect(client.status('api')).toMatchObject({
      lastSuccessAt: 0,
      lastError: expect.objectContaining({ status: 404, kind: 'http' }),
    });
  });
});
