import { type BrownoutError, createClient, createVirtualClock, RetryBudget } from '../../src/index.js';
import { asError, fakeFetch, unexpected } from '../helpers/fakeFetch.js';

describe('RetryBudget', () => {
  test('allows ratio of calls plus the floor, then refuses', () => {
    const clock = createVirtualClock();
    const budget = new RetryBudget(clock, { ratio: 0.1, minPerSecond: 1, windowMs: 10_000 });
    for (let i = 0; i < 100; i++) budget.recordCall();
    let granted = 0;
    while (budget.tryRetry()) granted++;
    expect(granted).toBe(20); // 100 · 0.1 + 1/s · 10 s
  });

  test('refills as the window moves on (aws-sdk-js-v3#4754: once exhausted, never retried again)', () => {
    const clock = createVirtualClock();
    const budget = new RetryBudget(clock, { ratio: 0.1, minPerSecond: 1, windowMs: 10_000 });
    while (budget.tryRetry()) {}
    expect(budget.tryRetry()).toBe(false);
    clock.advance(10_000);
    expect(budget.tryRetry()).toBe(true);
  });

  test('refills as calls go through', () => {
    const clock = createVirtualClock();
    const budget = new RetryBudget(clock, { ratio: 0.5, minPerSecond: 0 });
    expect(budget.tryRetry()).toBe(false);
    budget.recordCall();
    budget.recordCall();
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
  });

  test('ratio 0 and floor 0 allow no retry at all', () => {
    const budget = new RetryBudget(createVirtualClock(), { ratio: 0, minPerSecond: 0 });
    for (let i = 0; i < 1_000; i++) budget.recordCall();
    expect(budget.tryRetry()).toBe(false);
  });
});

describe('the budget in the client', () => {
  const outage = (spread: number) => async () => {
    const clock = createVirtualClock();
    const fake = fakeFetch(503);
    const client = createClient({
      clock,
      fetch: fake.fetch,
      retryBudget: { ratio: 0.1, minPerSecond: 1, windowMs: 10_000 },
      // The breaker is off here: this measures the budget alone.
      dependencies: {
        api: {
          retry: { maxAttempts: 3, baseMs: 1, capMs: 1 },
          breaker: { consecutiveFailures: Infinity, failureRate: Infinity },
        },
      },
    });
    const kinds = new Map<string, number>();
    let causeKind: string | undefined;
    for (let i = 0; i < 1_000; i++) {
      const p = client.fetch('api', '/x').catch((e: BrownoutError) => {
        kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
        if (e.kind === 'budget-exhausted') causeKind = (e.cause as BrownoutError).kind;
      });
      while (await clock.next()) {}
      await p;
      if (spread) await clock.advanceAsync(spread);
    }
    const m = client.metrics('api');
    return { m, kinds, causeKind, calls: fake.seen.length, elapsed: 1_000 * spread };
  };

  test('1 000 consecutive failures at one instant: retries stay within ratio · calls + floor', async () => {
    const { m, kinds, causeKind, calls } = await outage(0)();
    expect(m.retries).toBeLessThanOrEqual(0.1 * 1_000 + 10);
    expect(m.retries).toBeGreaterThan(0);
    expect(calls).toBe(1_000 + m.retries);
    expect(kinds.get('budget-exhausted')).toBeGreaterThan(0);
    expect(causeKind).toBe('http');
  });

  test('1 000 consecutive failures over 100 s: retries stay within the budget of every window', async () => {
    const { m, calls } = await outage(100)();
    // 10 windows of 10 s, each allowing 10 % of its 100 calls plus 10.
    expect(m.retries).toBeLessThanOrEqual(10 * (0.1 * 100 + 10) + 1);
    expect(m.retries / m.requests).toBeLessThan(0.25);
    expect(calls).toBe(1_000 + m.retries);
  });

  test('a refused retry fails with kind "budget-exhausted", the last failure as cause, counted as budget', async () => {
    const clock = createVirtualClock();
    const fake = fakeFetch(503);
    const client = createClient({
      clock,
      fetch: fake.fetch,
      retryBudget: { ratio: 0, minPerSecond: 0 },
      dependencies: { api: {} },
    });
    const error = await client.fetch('api', '/x').then(unexpected, asError);
    expect(error).toMatchObject({ kind: 'budget-exhausted', code: 'budget.exhausted', attempts: 1 });
    expect(error.cause).toMatchObject({ kind: 'http', status: 503 });
    expect(client.metrics('api').errorsByClass.budget).toBe(1);
    expect(fake.seen).toHaveLength(1);
  });
});
