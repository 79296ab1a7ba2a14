import type { Clock } from './clock.js';

/** One wait of a call that makes its dependency slow once it has lasted `slowMs`, until something arrives. */
export interface SlowWait {
  /** A wait starts (or goes on): slow after `slowMs`. */
  waiting(): void;
  /** A failed attempt: the user is still waiting for the retry, so nothing is told (no blink). */
  pause(): void;
  /** Something arrived, or the call ended: no longer slow. */
  arrived(): void;
}

/** Counts a dependency's slow waits: `onChange(true)` when the first starts, `(false)` when the last ends. */
export interface SlowCounter {
  count: number;
  readonly onChange: (slow: boolean) => void;
}

/** A wait (for headers across retries, or for the next chunk of a body) that counts in `counter`. */
export function slowWait(clock: Clock, counter: SlowCounter, slowMs: number): SlowWait {
  let slow = false;
  let timer: unknown;
  return {
    waiting(): void {
      clock.clearTimeout(timer);
      if (slow) return;
      timer = clock.setTimeout(() => {
        slow = true;
        if (counter.count++ === 0) counter.onChange(true);
      }, slowMs);
    },
    pause(): void {
      clock.clearTimeout(timer);
    },
    arrived(): void {
      clock.clearTimeout(timer);
      if (!slow) return;
      slow = false;
      if (--counter.count === 0) counter.onChange(false);
    },
  };
}
