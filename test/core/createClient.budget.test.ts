// The retry budget in the client (Google SRE book, "Handling Overload"; Finagle's RetryBudget).
import type { BrownoutError } from '../../src/core/BrownoutError.js';
import type { GiveUpEvent } from '../../src/core/types.js';
import { asError, drain, outcome, setup, unexpected } from './support.js';

const RATIO = 0.1;
const MIN_PER_SECOND = 1;
const WINDOW_MS = 10_000;
const FLOOR = (MIN_PER_SECOND * WINDOW_MS) / 1_000;

/** A dependency that always answers 503, with the breaker off so the budget alone is measured. */
const outage = (answers: Parameters<typeof setup>[0] = [503]) => {
  const s = setup(
    answers,
    {
      retry: { maxAttempts: 3, baseMs: 1, capMs: 1 },
      breaker: { consecutiveFailures: Number.POSITIVE_INFINITY, failureRate: Number.POSITIVE_INFINITY },
      timeouts: { totalMs: 60_000 },
    },
    { retryBudget: { ratio: RATIO, minPerSecond: MIN_PER_SECOND, windowMs: WINDOW_MS } },
  );
  const giveUps: GiveUpEvent[] = [];
  s.client.on('give-up', (e) => giveUps.push(e));
  return { ...s, giveUps };
};

const tally = (errors: readonly (BrownoutError | undefined)[]) => {
  const kinds = new Map<string, number>();
  for (const e of errors) if (e) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  return kinds;
};

describe('the retry budget under 1 000 consecutive failures', () => {
  test('all at one instant: retries ≤ ratio · calls + minPerSecond · window', async () => {
    const { client, clock, seen } = outage();
    const calls = Array.from({ length: 1_000 }, () => outcome(client.fetch('api', '/x')));
    await drain(clock);
    const errors = (await Promise.all(calls)).map((o) => o.error);
    const { retries, requests } = client.metrics('api');
    expect(requests).toBe(1_000);
    expect(retries).toBeLessThanOrEqual(RATIO * 1_000 + FLOOR);
    // The budget is spent, not starved: every retry it allows is made.
    expect(retries).toBe(RATIO * 1_000 + FLOOR);
    expect(seen).toHaveLength(1_000 + retries);
    const kinds = tally(errors);
    expect(kinds.get('budget-exhausted')).toBeGreaterThan(800);
    expect((kinds.get('budget-exhausted') ?? 0) + (kinds.get('http') ?? 0)).toBe(1_000);
  });

  test('spread over 9 s (one window): the same bound holds', async () => {
    const { client, clock, seen } = outage();
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 1_000; i++) {
      calls.push(outcome(client.fetch('api', '/x')));
      await clock.advanceAsync(9);
    }
    await drain(clock);
    await Promise.all(calls);
    const { retries } = client.metrics('api');
    expect(retries).toBeLessThanOrEqual(RATIO * 1_000 + FLOOR);
    expect(retries).toBeGreaterThan(FLOOR);
    expect(seen).toHaveLength(1_000 + retries);
  });

  test('spread over 100 s (ten windows): retries stay within the budget of each window', async () => {
    const { client, clock, seen } = outage();
    const start = clock.now();
    const retryTimes: number[] = [];
    client.on('retry', () => retryTimes.push(clock.now() - start));
    for (let i = 0; i < 1_000; i++) {
      const call = outcome(client.fetch('api', '/x'));
      await drain(clock);
      await call;
      await clock.advanceAsync(100 - ((clock.now() - start) % 100));
    }
    const elapsed = clock.now() - start;
    const { retries, requests } = client.metrics('api');
    expect(retries).toBeLessThanOrEqual(RATIO * requests + FLOOR * (elapsed / WINDOW_MS + 1));
    expect(retries / requests).toBeLessThan(0.25);
    expect(seen).toHaveLength(1_000 + retries);
    // Window by window: 100 calls each, so at most 10 % of them plus the floor, plus what the window
    // before left unspent at its edge.
    for (let w = 0; w < 10; w++) {
      const inWindow = retryTimes.filter((t) => t >= w * WINDOW_MS && t < (w + 1) * WINDOW_MS).length;
      expect(inWindow, `window ${w}`).toBeLessThanOrEqual(2 * (RATIO * 100 + FLOOR));
    }
  });

  test('a refused retry fails with kind "budget-exhausted", the last failure as its cause', async () => {
    const { client, clock, giveUps } = outage();
    const calls = Array.from({ length: 200 }, () => outcome(client.fetch('api', '/x')));
    await drain(clock);
    const refused = (await Promise.all(calls))
      .map((o) => o.error)
      .filter((e): e is BrownoutError => e?.kind === 'budget-exhausted');
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error).toMatchObject({ code: 'budget.exhausted', retriable: false, dependency: 'api' });
      const cause = error.cause as BrownoutError;
      expect(cause).toMatchObject({ kind: 'http', status: 503, attempts: error.attempts });
      expect(cause.correlationId).toBe(error.correlationId);
      expect(error.message).toMatch(/retry budget is spent/);
    }
    expect(giveUps.filter((g) => g.error.kind === 'budget-exhausted')).toHaveLength(refused.length);
    expect(client.metrics('api').errorsByClass.budget).toBe(refused.length);
  });

  test('with no budget at all, the first failure is refused at once, before any sleep', async () => {
    const { client, clock, seen } = setup([503], {}, { retryBudget: { ratio: 0, minPerSecond: 0 } });
    const error = await client.fetch('api', '/x').then(unexpected, asError);
    expect(error).toMatchObject({ kind: 'budget-exhausted', code: 'budget.exhausted', attempts: 1 });
    expect(error.cause).toMatchObject({ kind: 'http', status: 503 });
    expect(seen).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });
});

describe('the budget refills (aws-sdk-js-v3#4754: once exhausted, never retried again)', () => {
  // https://github.com/aws/aws-sdk-js-v3/issues/4754
  const exhaust = async (s: ReturnType<typeof outage>) => {
    const calls = Array.from({ length: 300 }, () => outcome(s.client.fetch('api', '/x')));
    await drain(s.clock);
    await Promise.all(calls);
    const probe = await s.run(s.client.fetch('api', '/x'));
    expect(probe.error?.kind).toBe('budget-exhausted');
  };

  test('as the window moves on', async () => {
    const s = outage();
    await exhaust(s);
    await s.clock.advanceAsync(WINDOW_MS);
    const before = s.seen.length;
    const { error } = await s.run(s.client.fetch('api', '/x'));
    expect(error).toMatchObject({ kind: 'http', status: 503, attempts: 3 });
    expect(s.seen.length - before).toBe(3);
  });

  test('as calls go through', async () => {
    let failing = true;
    const s = outage([() => new Response('', { status: failing ? 503 : 200 })]);
    await exhaust(s);
    failing = false;
    // Each call deposits a tenth of a retry: enough successes pay for the next retries.
    for (let i = 0; i < 50; i++) await s.run(s.client.fetch('api', '/ok'));
    failing = true;
    const before = s.seen.length;
    const { error } = await s.run(s.client.fetch('api', '/x'));
    expect(s.seen.length - before).toBe(3);
    expect(error).toMatchObject({ kind: 'http', attempts: 3 });
  });
});
