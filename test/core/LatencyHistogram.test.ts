import { LatencyHistogram, WindowedHistogram } from '../../src/core/LatencyHistogram.js';
import { createSeededRandom } from '../../src/core/random.js';

const countsOf = (h: LatencyHistogram) => (h as unknown as { counts: Uint32Array }).counts;

describe('LatencyHistogram', () => {
  test('a million samples: memory does not grow (the internal array keeps its length)', () => {
    const h = new LatencyHistogram();
    const counts = countsOf(h);
    const length = counts.length;
    for (let i = 1; i <= 1_000_000; i++) h.record(i % 1_000);
    expect(countsOf(h)).toBe(counts);
    expect(countsOf(h).length).toBe(length);
    expect(length).toBeLessThan(300);
    expect(h.count).toBe(1_000_000);
  });

  test('quantiles are within 5 % of the true values and never above the largest sample', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1_000_000; i++) h.record(i % 1_000);
    for (const [q, truth] of [
      [0.5, 500],
      [0.95, 950],
      [0.99, 990],
    ] as const) {
      expect(Math.abs(h.quantile(q) / truth - 1)).toBeLessThan(0.05);
    }
    expect(h.quantile(1)).toBeLessThanOrEqual(999);
  });

  test('quantiles of a skewed distribution (90 % fast, 10 % slow)', () => {
    const h = new LatencyHistogram();
    const random = createSeededRandom(1);
    for (let i = 0; i < 100_000; i++) h.record(random() < 0.9 ? 20 + random() : 2_000 + random() * 10);
    expect(h.quantile(0.5)).toBeGreaterThan(19);
    expect(h.quantile(0.5)).toBeLessThan(22);
    expect(h.quantile(0.95)).toBeGreaterThan(1_900);
    expect(h.quantile(0.99)).toBeLessThanOrEqual(2_010);
  });

  test('sub-millisecond samples and samples above ten minutes land in the end slots', () => {
    const h = new LatencyHistogram();
    h.record(0.2);
    expect(h.quantile(0.99)).toBe(0.2);
    h.record(10_000_000);
    expect(h.quantile(1)).toBeLessThanOrEqual(10_000_000);
    expect(h.quantile(1)).toBeGreaterThan(500_000);
  });

  test('negative, NaN and infinite values are ignored; an empty histogram gives 0', () => {
    const h = new LatencyHistogram();
    for (const v of [-1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) h.record(v);
    expect(h.count).toBe(0);
    expect(h.quantile(0.5)).toBe(0);
  });

  test('reset forgets every sample', () => {
    const h = new LatencyHistogram();
    h.record(5);
    h.reset();
    expect([h.count, h.quantile(0.5)]).toEqual([0, 0]);
  });

  test('quantileOf several histograms is the quantile of all their samples together', () => {
    const fast = new LatencyHistogram();
    const slow = new LatencyHistogram();
    for (let i = 0; i < 900; i++) fast.record(10);
    for (let i = 0; i < 100; i++) slow.record(1_000);
    expect(LatencyHistogram.quantileOf([fast, slow], 0.5)).toBeCloseTo(10, -0.5);
    expect(LatencyHistogram.quantileOf([fast, slow], 0.95)).toBeGreaterThan(950);
    expect(LatencyHistogram.quantileOf([], 0.5)).toBe(0);
  });
});

describe('WindowedHistogram', () => {
  test('samples older than the window no longer count', () => {
    let now = 0;
    const h = new WindowedHistogram(() => now, 60_000);
    for (let i = 0; i < 100; i++) h.record(1_000);
    now = 30_000;
    for (let i = 0; i < 100; i++) h.record(10);
    expect(h.quantile(0.95)).toBeGreaterThan(950);
    now = 65_000;
    expect(h.quantile(0.95)).toBeCloseTo(10, -0.5);
    now = 200_000;
    expect(h.quantile(0.95)).toBe(0);
  });

  test('memory is fixed: the same slices whatever the number of samples and time', () => {
    let now = 0;
    const h = new WindowedHistogram(() => now, 60_000, 6);
    const slices = (h as unknown as { slices: LatencyHistogram[] }).slices;
    for (let i = 0; i < 100_000; i++) {
      h.record(i % 500);
      now += 37;
    }
    expect((h as unknown as { slices: LatencyHistogram[] }).slices).toBe(slices);
    expect(slices).toHaveLength(6);
  });
});
