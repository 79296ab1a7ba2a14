import { createVirtualClock } from '../../src/core/clock.js';
import { createCoreClient as createClient } from '../../src/core/createCoreClient.js';
import type { AttemptEvent, GiveUpEvent, RetryEvent, SuccessEvent } from '../../src/core/types.js';
import { ORIGIN, outcome, setup } from './support.js';

type Logged =
  | ['attempt', AttemptEvent]
  | ['retry', RetryEvent]
  | ['give-up', GiveUpEvent]
  | ['success', SuccessEvent];

const log = (client: ReturnType<typeof setup>['client']) => {
  const events: Logged[] = [];
  client.on('attempt', (e) => events.push(['attempt', e]));
  client.on('retry', (e) => events.push(['retry', e]));
  client.on('give-up', (e) => events.push(['give-up', e]));
  client.on('success', (e) => events.push(['success', e]));
  return events;
};

describe('events', () => {
  test('attempt, retry, attempt, success: each with the call facts', async () => {
    const { client, run } = setup([503, 200], { retry: { baseMs: 10, capMs: 10 } });
    const events = log(client);
    await run(client.fetch('api', '/x', { method: 'PUT', body: '{}' }));
    const id = events[0]![1].correlationId;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(events.map(([type]) => type)).toEqual(['attempt', 'retry', 'attempt', 'success']);
    expect(events[0]![1]).toEqual({
      dependency: 'api',
      attempt: 1,
      method: 'PUT',
      url: `${ORIGIN}/x`,
      correlationId: id,
    });
    const retry = events[1]![1] as RetryEvent;
    expect(retry).toMatchObject({ dependency: 'api', attempt: 1, correlationId: id });
    expect(retry.delayMs).toBeGreaterThanOrEqual(0);
    expect(retry.delayMs).toBeLessThanOrEqual(10);
    expect(retry.reason).toMatchObject({ kind: 'http', status: 503, attempts: 1 });
    expect(events[2]![1]).toMatchObject({ attempt: 2 });
    expect(events[3]![1]).toEqual({ dependency: 'api', attempts: 2, status: 200, correlationId: id });
  });

  test('give-up carries the final error and the attempts made', async () => {
    const { client, run } = setup([503], { retry: { baseMs: 1, capMs: 1 } });
    const events = log(client);
    const { error } = await run(client.fetch('api', '/x'));
    const giveUp = events.filter(([t]) => t === 'give-up');
    expect(giveUp).toHaveLength(1);
    expect(giveUp[0]![1]).toEqual({
      dependency: 'api',
      attempts: 3,
      error,
      correlationId: error!.correlationId,
    });
    expect(events.filter(([t]) => t === 'retry')).toHaveLength(2);
    expect(events.filter(([t]) => t === 'success')).toHaveLength(0);
  });

  test('a non-retriable failure gives up after one attempt, without a retry event', async () => {
    const { client, run } = setup([404]);
    const events = log(client);
    await run(client.fetch('api', '/x'));
    expect(events.map(([t]) => t)).toEqual(['attempt', 'give-up']);
  });

  test('unsubscribe stops the events', async () => {
    const { client, run } = setup([200]);
    const listener = vi.fn();
    const off = client.on('attempt', listener);
    await run(client.fetch('api', '/x'));
    off();
    await run(client.fetch('api', '/x'));
    expect(listener).toHaveBeenCalledTimes(1);
  });

  test('a throwing listener does not break the call, nor the other listeners', async () => {
    const { client, run } = setup([503, 200], { retry: { baseMs: 1, capMs: 1 } });
    const report = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (const type of ['attempt', 'retry', 'success', 'give-up'] as const) {
        client.on(type, () => {
          throw new Error(`${type} listener bug`);
        });
      }
      const after = vi.fn();
      client.on('success', after);
      const { value } = await run(client.fetch('api', '/x'));
      expect(value?.status).toBe(200);
      expect(after).toHaveBeenCalledTimes(1);
      expect(report).toHaveBeenCalledTimes(4);
    } finally {
      report.mockRestore();
    }
  });
});

describe('metrics', () => {
  test('count requests, attempts, successes, failures, retries, retryRate and errors by class', async () => {
    const { client, run } = setup([503, 'network-error', 200, 404, 'hang', 'hang', 'hang'], {
      retry: { baseMs: 1, capMs: 1 },
      timeouts: { headersMs: 100 },
    });
    await run(client.fetch('api', '/1'));
    await run(client.fetch('api', '/2'));
    await run(client.fetch('api', '/3'));
    expect(client.metrics('api')).toMatchObject({
      dependency: 'api',
      requests: 3,
      attempts: 7,
      successes: 1,
      failures: 2,
      retries: 4,
      retryRate: 4 / 3,
      errorsByClass: {
        '4xx': 1,
        '5xx': 1,
        network: 1,
        timeout: 3,
        breaker: 0,
        budget: 0,
        queue: 0,
        aborted: 0,
      },
    });
  });

  test('latency quantiles come from time to headers on the virtual clock', async () => {
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
      const call = outcome(client.fetch('api', 'https://a.test/'));
      while (await clock.next()) {}
      await call;
    }
    const { latency } = client.metrics('api');
    expect(latency.count).toBe(100);
    expect(latency.p50).toBeGreaterThan(9.5);
    expect(latency.p50).toBeLessThan(10.5);
    expect(latency.p95).toBeGreaterThan(950);
    expect(latency.p99).toBeLessThanOrEqual(1_000);
  });

  test('each dependency has its own counters, and a snapshot is a copy', async () => {
    const clock = createVirtualClock();
    const client = createClient({
      clock,
      fetch: async () => new Response('{}'),
      dependencies: { api: {}, other: {} },
    });
    const before = client.metrics('api');
    await client.fetch('api', 'https://a.test/');
    expect(before.requests).toBe(0);
    expect(client.metrics('api').requests).toBe(1);
    expect(client.metrics('other').requests).toBe(0);
  });
});
