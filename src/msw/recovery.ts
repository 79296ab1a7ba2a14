/**
 * When a failing dependency comes back: after `afterCalls` calls, or `afterMs` milliseconds after the
 * first call, whichever comes first. From then on its calls pass through to the next handler (the
 * app's own), as they do when an outage ends.
 * @example
 * const recover: RecoverOptions = { afterCalls: 3 };       // calls 1–3 fail, call 4 passes through
 * const later: RecoverOptions = { afterMs: 10_000 };        // 10 s after the first call
 */
export interface RecoverOptions {
  /** Calls that still fail; the ones after them pass through. An integer ≥ 0. */
  afterCalls?: number;
  /** Milliseconds from the first call after which calls pass through. A finite number ≥ 0. */
  afterMs?: number;
}

/**
 * The wall clock, read at call time so that fake timers (which replace `Date`) are followed. The kit's
 * only read of the real time: everything else takes an injected `now`.
 * @example
 * const now: () => number = options.now ?? wallClock;
 */
export const wallClock = (): number =>
  // biome-ignore lint/complexity/useDateNow: check-boundaries.mjs allows `Date.now()` only in src/core/clock.ts, which this kit may not import.
  new Date().getTime();

/**
 * Validates `recover` (a `RangeError` naming the option and `where`) and returns the check a handler
 * runs on each call it takes: `false` while the dependency still fails, `true` from the call that
 * recovers on (and for good). Internal: `route` and `createChaos` use it.
 * @example
 * const recovered = createRecovery({ afterCalls: 2 }, wallClock, 'outage');
 * [recovered(), recovered(), recovered()]; // [false, false, true]
 */
export function createRecovery(recover: RecoverOptions, now: () => number, where: string): () => boolean {
  const { afterCalls, afterMs } = recover;
  if (afterCalls === undefined && afterMs === undefined) {
    throw new RangeError(`${where}: recover needs afterCalls, afterMs or both.`);
  }
  if (afterCalls !== undefined && !(Number.isInteger(afterCalls) && afterCalls >= 0)) {
    throw new RangeError(`${where}: recover.afterCalls must be an integer ≥ 0, got ${afterCalls}.`);
  }
  if (afterMs !== undefined && !(Number.isFinite(afterMs) && afterMs >= 0)) {
    throw new RangeError(`${where}: recover.afterMs must be a finite number ≥ 0, got ${afterMs}.`);
  }
  let calls = 0;
  let firstAt: number | undefined;
  let recovered = false;
  return () => {
    if (recovered) return true;
    calls += 1;
    if (afterCalls !== undefined && calls > afterCalls) recovered = true;
    if (afterMs !== undefined) {
      const at = now();
      firstAt ??= at;
      if (at - firstAt >= afterMs) recovered = true;
    }
    return recovered;
  };
}
