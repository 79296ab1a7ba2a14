// Interleaved timing for the per-call sections. A round runs every contender once, in a new random order
// (seeded: reruns shuffle alike), a batch of `n` calls each; each contender's per-call cost in a round is
// divided by the baseline's (index 0) in the same round, and the table shows the median of those ratios.
// No contender always follows the same one, so one's garbage and JIT state do not always land on the next;
// where a `gc` is given (Node's --expose-gc) it runs before every batch, so a batch pays for its own
// garbage only. Pairwise runs do the same with two contenders: the baseline and one other.
import { median } from './harness.js';

/** What one batch cost, per call: wall time, and CPU time where the runtime can tell (else NaN). */
export interface BatchCost {
  readonly us: number;
  readonly cpuUs: number;
}

/** Runs `n` calls of contender `index` and says what they cost per call. */
export type RunBatch = (index: number, n: number) => Promise<BatchCost>;

export interface Summary {
  /** Median per-call wall time, µs (for scale: the ratios are what compare). */
  readonly us: number;
  /** Median per-call CPU time, µs (NaN when not measured). */
  readonly cpuUs: number;
  /** Median over rounds of (this round's µs ÷ the baseline's µs in the same round). */
  readonly ratio: number;
  /** The same for CPU time. */
  readonly cpuRatio: number;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffled(indices: readonly number[], random: () => number): number[] {
  const out = [...indices];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface InterleaveOptions {
  readonly n: number;
  readonly rounds: number;
  readonly warmup?: number;
  readonly seed?: number;
  readonly gc?: (() => void) | undefined;
}

/** Interleaves the contenders `indices` (the first is the baseline) and summarises each. */
export async function interleave(
  runBatch: RunBatch,
  indices: readonly number[],
  { n, rounds, warmup = n, seed = 1, gc }: InterleaveOptions,
): Promise<Summary[]> {
  const random = mulberry32(seed);
  for (const i of shuffled(indices, random)) await runBatch(i, warmup);
  const samples: BatchCost[][] = indices.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const k of shuffled(
      indices.map((_, k) => k),
      random,
    )) {
      gc?.();
      samples[k]!.push(await runBatch(indices[k]!, n));
    }
  }
  const base = samples[0]!;
  return samples.map((xs) => ({
    us: median(xs.map((x) => x.us)),
    cpuUs: median(xs.map((x) => x.cpuUs)),
    ratio: median(xs.map((x, r) => x.us / base[r]!.us)),
    cpuRatio: median(xs.map((x, r) => x.cpuUs / base[r]!.cpuUs)),
  }));
}

/**
 * Each contender of `indices` after the first against the first alone, two at a time: `pairs[k - 1]` is
 * `indices[k]` against `indices[0]`.
 */
export async function pairwise(
  runBatch: RunBatch,
  indices: readonly number[],
  options: InterleaveOptions,
): Promise<Summary[]> {
  const out: Summary[] = [];
  for (let k = 1; k < indices.length; k++) {
    const pair = [indices[0]!, indices[k]!];
    out.push((await interleave(runBatch, pair, { ...options, seed: (options.seed ?? 1) + k }))[1]!);
  }
  return out;
}

/** A RunBatch for contenders in this Node process: wall time and this process's CPU time (user + system). */
export const nodeBatch =
  (calls: readonly (() => Promise<unknown>)[]): RunBatch =>
  async (index, n) => {
    const call = calls[index]!;
    const cpu = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < n; i++) await call();
    const us = ((performance.now() - t) * 1000) / n;
    const used = process.cpuUsage(cpu);
    return { us, cpuUs: (used.user + used.system) / n };
  };
