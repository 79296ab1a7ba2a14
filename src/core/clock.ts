/**
 * Time as a dependency. Every `now()` and timer in Brownout goes through a {@link Clock}, so every timing
 * rule (deadlines, backoff, Retry-After, budgets, breaker windows) runs unchanged on a virtual clock in
 * tests and simulations.
 */

/** An opaque timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** The time source and timer scheduler Brownout uses. */
export interface Clock {
  /** Milliseconds since the Unix epoch (the wall clock: it may jump, e.g. when the system time is set). */
  now(): number;
  /**
   * Milliseconds from any origin, never jumping: waits that must elapse (an open breaker's period, a
   * server's hold) are measured on it, so a wall clock stepped an hour neither freezes nor skips them.
   * @default now()
   */
  monotonic?(): number;
  /** Runs `callback` once after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer made by {@link Clock.setTimeout}; unknown handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * `clock.monotonic()`, or `now()` for a clock without one: the time base for waits that must elapse and for
 * durations, so a wall-clock step neither ends them early nor stretches them.
 */
export const monotonicNow = (clock: Clock): number => (clock.monotonic ? clock.monotonic() : clock.now());

// Timers keep their delay in a signed 32-bit integer: a longer one (~24.8 days, or Infinity) would fire
// at once. Such a delay is waited in steps instead, and Infinity never fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

class LongTimer {
  id: unknown;
}

function longTimeout(callback: () => void, ms: number): LongTimer {
  const timer = new LongTimer();
  if (ms === Number.POSITIVE_INFINITY) return timer;
  const arm = (left: number): void => {
    timer.id = globalThis.setTimeout(
      left > MAX_TIMER_MS ? () => arm(left - MAX_TIMER_MS) : callback,
      Math.min(left, MAX_TIMER_MS),
    );
  };
  arm(ms);
  return timer;
}

/**
 * The real clock. It calls the globals at call time (never captures them at import), so test fake
 * timers installed later still apply.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => (globalThis.performance ? globalThis.performance.now() : Date.now()),
  setTimeout: (callback, ms) =>
    ms > MAX_TIMER_MS ? longTimeout(callback, ms) : globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) =>
    globalThis.clearTimeout(
      (handle instanceof LongTimer ? handle.id : handle) as Parameters<typeof clearTimeout>[0],
    ),
};

interface VirtualTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** A {@link Clock} whose time moves only when told to: for tests and simulations. */
export interface VirtualClock extends Clock {
  /** Timers scheduled and not yet fired or cleared. */
  readonly pending: number;
  /** Moves time forward by `ms`, firing due timers in order, synchronously. */
  advance(ms: number): void;
  /**
   * Moves time forward by `ms`, firing due timers in order and letting promises settle (a real
   * macrotask turn) before and after each one, so async code driven by the timers runs to its next wait.
   */
  advanceAsync(ms: number): Promise<void>;
  /** Fires the next pending timer (jumping time to it), letting promises settle; false when none is left. */
  next(): Promise<boolean>;
  /** Lets pending promises and I/O settle without moving time. */
  flush(): Promise<void>;
  /** Steps the wall clock (`now()`) by `ms`, as a user or NTP setting the time does; timers do not move. */
  step(ms: number): void;
  /** Timer time: moved by `advance`, never by `step`. */
  monotonic(): number;
}

/**
 * Creates a virtual clock starting at `startMs`.
 * @example
 * const clock = createVirtualClock();
 * const client = createClient({ clock, dependencies: { api: {} } });
 * await clock.advanceAsync(3_000);
 */
export function createVirtualClock(startMs = Date.UTC(2026, 0, 1)): VirtualClock {
  let current = startMs;
  let nextId = 1;
  const timers = new Map<number, VirtualTimer>();

  const due = (until: number): VirtualTimer | undefined => {
    let first: VirtualTimer | undefined;
    for (const timer of timers.values()) {
      if (
        timer.at <= until &&
        (!first || timer.at < first.at || (timer.at === first.at && timer.id < first.id))
      ) {
        first = timer;
      }
    }
    return first;
  };
  const fire = (timer: VirtualTimer): void => {
    timers.delete(timer.id);
    current = Math.max(current, timer.at);
    timer.callback();
  };
  // A real macrotask turn: every queued promise reaction (and in-process mocks such as MSW) gets to run.
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
        if (typeof immediate === 'function') immediate(resolve);
        else globalThis.setTimeout(resolve, 0);
      });
    }
  };

  // The wall clock's distance from timer time: changed only by `step`.
  let offset = 0;
  return {
    now: () => current + offset,
    monotonic: () => current,
    step(ms) {
      offset += ms;
    },
    setTimeout(callback, ms) {
      const id = nextId++;
      const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
      timers.set(id, { id, at: current + delay, callback });
      return id;
    },
    clearTimeout(handle) {
      if (typeof handle === 'number') timers.delete(handle);
    },
    get pending() {
      return timers.size;
    },
    advance(ms) {
      const until = current + ms;
      for (let timer = due(until); timer; timer = due(until)) fire(timer);
      current = until;
    },
    async advanceAsync(ms) {
      const until = current + ms;
      await settle();
      for (let timer = due(until); timer; timer = due(until)) {
        fire(timer);
        await settle();
      }
      current = until;
    },
    async next() {
      await settle();
      const timer = due(Number.POSITIVE_INFINITY);
      if (!timer) return false;
      fire(timer);
      await settle();
      return true;
    },
    flush: settle,
  };
}
