import fc from 'fast-check';
import { decorrelatedJitter, equalJitter, fullJitter, type Random } from '../../src/index.js';

const constant =
  (r: number): Random =>
  () =>
    r;

describe('jitter stays within [0, min(cap, base·2ⁿ)] (a property over every attempt number)', () => {
  const input = fc.record({
    retry: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.constantFrom(1_023, 1_024, 5_000, 2 ** 31)),
    baseMs: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10_000, noNaN: true })),
    capMs: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 600_000, noNaN: true })),
    previousMs: fc.double({ min: 0, max: 600_000, noNaN: true }),
    r: fc.oneof(
      fc.constantFrom(0, 0.9999999, 0.5),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    ),
  });

  test.each([
    ['full', fullJitter],
    ['equal', equalJitter],
  ] as const)('%s jitter', (_name, backoff) => {
    fc.assert(
      fc.property(input, ({ retry, baseMs, capMs, previousMs, r }) => {
        const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(retry, 1023));
        const d = backoff({ retry, baseMs, capMs, previousMs, random: constant(r) });
        return Number.isFinite(d) && d >= 0 && d <= (Number.isFinite(ceiling) ? ceiling : capMs);
      }),
      { numRuns: 5_000 },
    );
  });

  test('decorrelated jitter stays within [0, cap]', () => {
    fc.assert(
      fc.property(input, ({ retry, baseMs, capMs, previousMs, r }) => {
        const d = decorrelatedJitter({ retry, baseMs, capMs, previousMs, random: constant(r) });
        return Number.isFinite(d) && d >= 0 && d <= capMs;
      }),
      { numRuns: 5_000 },
    );
  });

  test('a broken random (NaN, 1, negative) still gives a delay in range', () => {
    for (const r of [Number.NaN, 1, -1, 2]) {
      for (const backoff of [fullJitter, equalJitter, decorrelatedJitter]) {
        const d = backoff({ retry: 3, baseMs: 100, capMs: 500, previousMs: 100, random: constant(r) });
        expect(d >= 0 && d <= 500).toBe(true);
      }
    }
  });

  test('full jitter spans the whole range: about uniform over [0, ceiling]', () => {
    let seed = 1;
    const random: Random = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const draws = Array.from({ length: 10_000 }, () =>
      fullJitter({ retry: 2, baseMs: 100, capMs: 1_000, previousMs: 0, random }),
    );
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(190);
    expect(mean).toBeLessThan(210);
    expect(Math.max(...draws)).toBeLessThanOrEqual(400);
  });

  test('equal jitter keeps at least half the exponential delay', () => {
    expect(equalJitter({ retry: 3, baseMs: 100, capMs: 10_000, previousMs: 0, random: constant(0) })).toBe(
      400,
    );
  });

  test('decorrelated jitter grows from the previous sleep, up to 3×', () => {
    expect(
      decorrelatedJitter({
        retry: 0,
        baseMs: 100,
        capMs: 10_000,
        previousMs: 1_000,
        random: constant(0.9999),
      }),
    ).toBeCloseTo(3_000, -1);
    expect(
      decorrelatedJitter({ retry: 0, baseMs: 100, capMs: 10_000, previousMs: 0, random: constant(0.5) }),
    ).toBe(100);
  });
});
