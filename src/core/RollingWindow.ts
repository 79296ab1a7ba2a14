import { type Clock, monotonicNow } from './clock.js';

/**
 * Counts over a rolling time window, in `buckets` equal slices: memory is fixed whatever the traffic,
 * a slice that falls out of the window is reset whole, and a count is exact at slice edges. Slices are on
 * the monotonic clock: a wall clock set back an hour must not keep old counts in the window for that hour.
 */
export class RollingWindow<Field extends string> {
  private readonly sliceMs: number;
  private readonly counts: Float64Array;
  private readonly starts: Float64Array;
  private readonly width: number;

  constructor(
    private readonly clock: Clock,
    readonly windowMs: number,
    private readonly fields: readonly Field[],
    private readonly buckets = 10,
  ) {
    this.sliceMs = windowMs / buckets;
    this.width = fields.length;
    this.counts = new Float64Array(buckets * this.width);
    this.starts = new Float64Array(buckets).fill(Number.NEGATIVE_INFINITY);
  }

  /** Adds `by` to `field` in the current slice. */
  add(field: Field, by = 1): void {
    const slot = this.slot();
    this.counts[slot * this.width + this.fields.indexOf(field)]! += by;
  }

  /** The sum of `field` over the slices still inside the window. */
  sum(field: Field): number {
    const now = monotonicNow(this.clock);
    const index = this.fields.indexOf(field);
    let total = 0;
    for (let b = 0; b < this.buckets; b++) {
      if (now - this.starts[b]! < this.windowMs) total += this.counts[b * this.width + index]!;
    }
    return total;
  }

  /** Forgets everything. */
  reset(): void {
    this.counts.fill(0);
    this.starts.fill(Number.NEGATIVE_INFINITY);
  }

  private slot(): number {
    const now = monotonicNow(this.clock);
    const start = Math.floor(now / this.sliceMs) * this.sliceMs;
    const slot = Math.floor(now / this.sliceMs) % this.buckets;
    if (this.starts[slot] !== start) {
      this.starts[slot] = start;
      this.counts.fill(0, slot * this.width, (slot + 1) * this.width);
    }
    return slot;
  }
}
