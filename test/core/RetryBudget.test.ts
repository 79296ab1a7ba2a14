import { createVirtualClock } from '../../src/core/clock.js';
import { RetryBudget } from '../../src/core/RetryBudget.js';

describe('RetryBudget', () => {
  test('defaults to 10 % of calls plus 1 retry per second over 10 s', () => {
    const budget = new RetryBudget(createVirtualClock());
    expect([budget.ratio, budget.minPerSecond, budget.windowMs]).toEqual([0.1, 1, 10_000]);
    expect(budget.available()).toBe(10);
  });

  test('allows ratio · calls plus the floor, then refuses', () => {
    const clock = createVirtualClock();
    const budget = new RetryBudget(clock, { ratio: 0.1, minPerSecond: 1, windowMs: 10_000 });
    for (let i = 0; i < 100; i++) budget.recordCall();
    let granted = 0;
    while (budget.tryRetry()) granted++;
    expect(granted).toBe(20); // 100 · 0.1 + 1/s · 10 s
    expect(budget.available()).toBe(0);
  });

  test('a refused retry takes nothing from the budget', () => {
    const budget = new RetryBudget(createVirtualClock(), { ratio: 0.5, minPerSecond: 0 });
    budget.recordCall();
    expect(budget.available()).toBe(0.5);
    expect(budget.tryRetry()).toBe(false);
    expect(budget.available()).toBe(0.5);
    budget.recordCall();
    expect(budget.tryRetry()).toBe(true);
    expect(budget.available()).toBe(0);
  });

  test('refills as the window moves on (aws-sdk-js-v3#4754: once exhausted, never retried again)', () => {
    // https://github.com/aws/aws-sdk-js-v3/issues/4754
    const clock = createVirtualClock();
    const budget = new RetryBudget(clock, { ratio: 0.1, minPerSecond: 1, windowMs: 10_000 });
    while (budget.tryRetry()) {}
    expect(budget.tryRetry()).toBe(false);
    clock.advance(10_000);
    expect(budget.tryRetry()).toBe(true);
  });

  test('refills as calls go through', () => {
    const budget = new RetryBudget(createVirtualClock(), { ratio: 0.5, minPerSecond: 0 });
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

  test('ratio 1 allows one retry per call', () => {
    const budget = new RetryBudget(createVirtualClock(), { ratio: 1, minPerSecond: 0 });
    for (let i = 0; i < 50; i++) budget.recordCall();
    let granted = 0;
    while (budget.tryRetry()) granted++;
    expect(granted).toBe(50);
  });

  test('reset forgets calls and retries', () => {
    const budget = new RetryBudget(createVirtualClock(), { ratio: 0.1, minPerSecond: 1 });
    for (let i = 0; i < 100; i++) budget.recordCall();
    while (budget.tryRetry()) {}
    budget.reset();
    expect(budget.available()).toBe(10);
  });
});
