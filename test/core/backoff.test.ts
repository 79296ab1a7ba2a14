import fc from 'fast-check';
import {
  type Backoff,
  backoffFor,
  decorrelatedJitter,
  equalJitter,
  fullJitter,
} from '../../src/core/backoff.js';
import { createSeededRandom, type Random } from '../../src/core/random.js';

const constant =
  (r: number): Random =>
  () =>
    r;

// The bound every draw must respect: [0, min(cap, base·2ⁿ)] computed without overflow surprises.
const ceilingOf = (retry: number, baseMs: number, capMs: number): number => {
  const exp = baseMs * 2 ** Math.min(retry, 1023);
  return Number.isFinite(exp) ? Math.min(capMs, exp) : capMs;
};
const sane = (d: number): boolean => Number.isFinite(d) && d >= 0 && !Object.is(d, -0);

const HUGE_RETRIES = [1_023, 1_024, 1_025, 5_000, 2 ** 31, Number.MAX_SAFE_INTEGER] as const;
const input = fc.record({
  retry: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.constantFrom(...HUGE_RETRIES)),
  baseMs: fc.oneof(fc.constantFrom(0, 1, 100), fc.double({ min: 0, max: 10_000, noNaN: true })),
  capMs: fc.oneof(fc.constantFrom(0, 1, 5_000), fc.double({ min: 0, max: 600_000, noNaN: true })),
  previousMs: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 600_000, noNaN: true })),
  r: fc.oneof(
    fc.constantFrom(0, 0.9999999, 0.5),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  ),
});

describe('jitter bounds (a property over every attempt number)', () => {
  test.each([
    ['full', fullJitter],
    ['equal', equalJitter],
  ] as const)(
    '%s jitter stays within [0, min(cap, base·2ⁿ)], never NaN, negative or Infinity',
    (_n, backoff) => {
      fc.assert(
        fc.property(input, ({ retry, baseMs, capMs, previousMs, r }) => {
          const d = backoff({ retry, baseMs, capMs, previousMs, random: constant(r) });
          return sane(d) && d <= ceilingOf(retry, baseMs, capMs);
        }),
        { numRuns: 5_000, seed: 20_260_101 },
      );
    },
  );

  test('decorrelated jitter stays within [0, cap], never NaN, negative or Infinity', () => {
    fc.assert(
      fc.property(input, ({ retry, baseMs, capMs, previousMs, r }) => {
        const d = decorrelatedJitter({ retry, baseMs, capMs, previousMs, random: constant(r) });
        return sane(d) && d <= capMs;
      }),
      { numRuns: 5_000, seed: 20_260_101 },
    );
  });

  test('every attempt number 0..2000 and huge ones, with random() at 0 and 0.9999999, base and cap including 0', () => {
    const pairs: [number, number][] = [
      [0, 0],
      [0, 5_000],
      [100, 0],
      [100, 5_000],
      [1, 1],
      [5_000, 100],
    ];
    const retries = [...Array.from({ length: 2_001 }, (_, i) => i), ...HUGE_RETRIES];
    for (const r of [0, 0.9999999]) {
      for (const [baseMs, capMs] of pairs) {
        let previousMs = 0;
        for (const retry of retries) {
          const at = { retry, baseMs, capMs, random: constant(r) };
          const full = fullJitter({ ...at, previousMs });
          const equal = equalJitter({ ...at, previousMs });
          const decorrelated = decorrelatedJitter({ ...at, previousMs });
          const ceiling = ceilingOf(retry, baseMs, capMs);
          if (!(sane(full) && full <= ceiling && sane(equal) && equal <= ceiling)) {
            throw new Error(`out of range at retry ${retry}, base ${baseMs}, cap ${capMs}, r ${r}`);
          }
          if (!(sane(decorrelated) && decorrelated <= capMs)) {
            throw new Error(
              `decorrelated out of range at retry ${retry}, base ${baseMs}, cap ${capMs}, r ${r}`,
            );
          }
          previousMs = decorrelated;
        }
      }
    }
  });

  test('with a seeded random, the draws of a long run of retries all stay in range', () => {
    const random = createSeededRandom(99);
    let previousMs = 0;
    for (let retry = 0; retry <= 2_000; retry++) {
      const full = fullJitter({ retry, baseMs: 100, capMs: 5_000, previousMs, random });
      expect(full >= 0 && full <= Math.min(5_000, 100 * 2 ** retry)).toBe(true);
      previousMs = decorrelatedJitter({ retry, baseMs: 100, capMs: 5_000, previousMs, random });
      expect(previousMs >= 100 && previousMs <= 5_000).toBe(true);
    }
  });

  test('an unbounded cap (Infinity) and huge bases still give finite sleeps, never NaN', () => {
    fc.assert(
      fc.property(
        fc.record({
          retry: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.constantFrom(...HUGE_RETRIES)),
          baseMs: fc.oneof(
            fc.constantFrom(0, 100, Number.MAX_VALUE, Number.POSITIVE_INFINITY),
            fc.double({ min: 0, noNaN: true }),
          ),
          previousMs: fc.oneof(fc.constantFrom(0, Number.MAX_VALUE), fc.double({ min: 0, noNaN: true })),
          r: fc.constantFrom(0, 0.5, 0.9999999),
        }),
        ({ retry, baseMs, previousMs, r }) =>
          [fullJitter, equalJitter, decorrelatedJitter].every((backoff: Backoff) =>
            sane(
              backoff({ retry, baseMs, capMs: Number.POSITIVE_INFINITY, previousMs, random: constant(r) }),
            ),
          ),
      ),
      { numRuns: 2_000, seed: 7 },
    );
  });

  test('a broken random() (NaN, 1, negative, 2) still gives a sleep in range', () => {
    for (const r of [Number.NaN, 1, -1, 2, Number.POSITIVE_INFINITY]) {
      for (const backoff of [fullJitter, equalJitter, decorrelatedJitter]) {
        const d = backoff({ retry: 3, baseMs: 100, capMs: 500, previousMs: 100, random: constant(r) });
        expect(d >= 0 && d <= 500, `r=${r}`).toBe(true);
      }
    }
  });
});

describe('the strategies', () => {
  test('full jitter spans the whole range: about uniform over [0, min(cap, base·2ⁿ)]', () => {
    const random = createSeededRandom(1);
    const draws = Array.from({ length: 10_000 }, () =>
      fullJitter({ retry: 2, baseMs: 100, capMs: 1_000, previousMs: 0, random }),
    );
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(190);
    expect(mean).toBeLessThan(210);
    expect(Math.min(...draws)).toBeLessThan(5);
    expect(Math.max(...draws)).toBeGreaterThan(395);
    expect(Math.max(...draws)).toBeLessThanOrEqual(400);
  });

  test('the exponential ceiling doubles per retry until the cap', () => {
    const top = (retry: number) =>
      fullJitter({ retry, baseMs: 100, capMs: 1_000, previousMs: 0, random: constant(0.9999999) });
    expect([0, 1, 2, 3, 4, 50].map((n) => Math.round(top(n)))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  test('equal jitter keeps at least half of the exponential delay', () => {
    expect(equalJitter({ retry: 3, baseMs: 100, capMs: 10_000, previousMs: 0, random: constant(0) })).toBe(
      400,
    );
    expect(
      equalJitter({ retry: 3, baseMs: 100, capMs: 10_000, previousMs: 0, random: constant(0.9999999) }),
    ).toBeCloseTo(800, 2);
  });

  test('decorrelated jitter draws from [base, 3 × previous], capped', () => {
    const at = (previousMs: number, r: number) =>
      decorrelatedJitter({ retry: 0, baseMs: 100, capMs: 10_000, previousMs, random: constant(r) });
    expect(at(1_000, 0.9999999)).toBeCloseTo(3_000, 0);
    expect(at(1_000, 0)).toBe(100);
    expect(at(0, 0.5)).toBe(100);
    expect(at(9_000, 0.9999999)).toBeLessThanOrEqual(10_000);
  });

  test('backoffFor maps each name to its strategy', () => {
    expect(backoffFor('full')).toBe(fullJitter);
    expect(backoffFor('equal')).toBe(equalJitter);
    expect(backoffFor('decorrelated')).toBe(decorrelatedJitter);
  });
});
