// Log-spaced buckets from 1 ms to ~10 min, each 5 % wider than the last: quantiles within ~2.5 %,
// in a fixed 280-slot array whatever the number of calls.
const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);
const SLOTS = Math.ceil(Math.log(600_000) / LOG_GROWTH) + 2;

/** A fixed-size latency histogram: record in O(1), memory independent of the number of samples. */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(SLOTS);
  private total = 0;
  private max = 0;

  /** Records one latency in ms (negative or non-finite values are ignored). */
  record(ms: number): void {
    if (!(ms >= 0) || ms === Number.POSITIVE_INFINITY) return;
    const slot = ms < 1 ? 0 : Math.min(SLOTS - 1, 1 + Math.floor(Math.log(ms) / LOG_GROWTH));
    this.counts[slot]!++;
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  /** How many latencies were recorded. */
  get count(): number {
    return this.total;
  }

  /** The latency at quantile `q` (0–1), in ms; 0 when nothing was recorded. */
  quantile(q: number): number {
    return LatencyHistogram.quantileOf([this], q);
  }

  /** The quantile `q` of several histograms taken together. */
  static quantileOf(histograms: readonly LatencyHistogram[], q: number): number {
    let total = 0;
    let max = 0;
    for (const h of histograms) {
      total += h.total;
      max = Math.max(max, h.max);
    }
    if (total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * total));
    let seen = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      for (const h of histograms) seen += h.counts[slot]!;
      if (seen >= rank) {
        if (slot === 0) return Math.min(1, max);
        // The geometric middle of the slot, never above the largest value seen.
        return Math.min(max, GROWTH ** (slot - 0.5));
      }
    }
    return max;
  }

  /** Forgets every sample. */
  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.max = 0;
  }
}

/**
 * Latency over a rolling window: `slices` histograms, the oldest cleared as time moves on. Memory is
 * fixed: `slices` × one histogram.
 */
export class WindowedHistogram {
  private readonly slices: LatencyHistogram[];
  private readonly starts: number[];
  private readonly sliceMs: number;

  constructor(
    private readonly now: () => number,
    readonly windowMs: number,
    slices = 6,
  ) {
    this.sliceMs = windowMs / slices;
    this.slices = Array.from({ length: slices }, () => new LatencyHistogram());
    this.starts = Array.from({ length: slices }, () => Number.NEGATIVE_INFINITY);
  }

  record(ms: number): void {
    const now = this.now();
    const start = Math.floor(now / this.sliceMs) * this.sliceMs;
    const at = Math.floor(now / this.sliceMs) % this.slices.length;
    if (this.starts[at] !== start) {
      this.starts[at] = start;
      this.slices[at]!.reset();
    }
    this.slices[at]!.record(ms);
  }

  /** The latency at quantile `q` over the window; 0 with no samples. */
  quantile(q: number): number {
    const now = this.now();
    const live = this.slices.filter((_, i) => now - this.starts[i]! < this.windowMs);
    return LatencyHistogram.quantileOf(live, q);
  }
}
