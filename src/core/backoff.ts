import { drawUnit, type Random } from './random.js';

/** What a backoff strategy sees when it picks the next sleep. */
export interface BackoffInput {
  /** Retries already made in this call: 0 before the first retry. */
  readonly retry: number;
  /** The base delay, in ms. */
  readonly baseMs: number;
  /** The largest delay, in ms. */
  readonly capMs: number;
  /** The previous sleep (0 before the first retry); used by decorrelated jitter. */
  readonly previousMs: number;
  readonly random: Random;
}

/** A pure function from the retry state to a sleep in ms, always within `[0, capMs]`. */
export type Backoff = (input: BackoffInput) => number;

/** The jitter strategies Brownout ships. */
export type JitterStrategy = 'full' | 'equal' | 'decorrelated';

// `base * 2^retry` grows past Number.MAX_VALUE near retry 1024; clamp before it becomes Infinity or NaN.
// An unbounded cap (Infinity) is clamped too: `0 * Infinity` would make the sleep NaN.
const ceiling = ({ retry, baseMs, capMs }: BackoffInput): number => {
  const exp = baseMs * 2 ** Math.min(retry, 1023);
  const value = Math.min(capMs, exp);
  return Number.isFinite(value) && value > 0 ? value : value > 0 ? Math.min(capMs, Number.MAX_VALUE) : 0;
};

/**
 * Full jitter: `random(0, min(cap, base · 2^retry))`. The best spread for competing clients
 * (Marc Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015).
 */
export const fullJitter: Backoff = (input) => drawUnit(input.random) * ceiling(input);

/** Equal jitter: half the exponential delay fixed, half random (same source). */
export const equalJitter: Backoff = (input) => {
  const c = ceiling(input);
  // Clamped: with subnormal values the halves can round above the ceiling.
  return Math.min(c, c / 2 + drawUnit(input.random) * (c / 2));
};

/**
 * Decorrelated jitter: `min(cap, random(base, previous · 3))` (same source). Each sleep depends on the
 * last one rather than on the attempt number.
 */
export const decorrelatedJitter: Backoff = ({ baseMs, capMs, previousMs, random }) => {
  const low = Math.min(baseMs, capMs);
  const high = Math.min(capMs, Math.max(low, previousMs * 3));
  const value = low + drawUnit(random) * (high - low);
  return Number.isFinite(value) ? Math.max(0, Math.min(capMs, value)) : Math.min(capMs, Number.MAX_VALUE);
};

/** The strategy for a name. */
export const backoffFor = (strategy: JitterStrategy): Backoff =>
  strategy === 'equal' ? equalJitter : strategy === 'decorrelated' ? decorrelatedJitter : fullJitter;
