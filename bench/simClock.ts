// A fast virtual clock for simulations with thousands of timers and clients.
//
// Why not `createVirtualClock` from src/core/clock.ts: it finds the next timer by scanning every pending
// one and settles promises with three macrotask turns before and after each timer. That is right for
// tests (a handful of timers, exact ordering with MSW) but would make a 200-client storm × 100 trials
// take minutes. This one keeps timers in a binary heap and lets promises settle with one macrotask turn
// per fired timer: Node drains the whole microtask queue (every chained `await`) before the next
// macrotask, and the fake dependencies below answer with null-body responses, so nothing in a simulated
// call waits on real I/O.
import type { Clock } from '../src/core/clock.js';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface SimClock extends Clock {
  /** Timers scheduled and not yet fired or cleared. */
  readonly pending: number;
  /** Fires timers in time order until none is left or the next one is past `untilMs` (absolute). */
  runUntil(untilMs: number): Promise<void>;
  /** Fires timers until none is left (or `maxEvents` fired, a guard against a loop that never ends). */
  runAll(maxEvents?: number): Promise<void>;
  /** Fires every timer synchronously, in time order: for simulations with no promises in them. */
  runAllSync(): void;
  /** Lets promises settle without moving time. */
  settle(): Promise<void>;
}

export function createSimClock(startMs = 0): SimClock {
  let now = startMs;
  let nextId = 1;
  const heap: Timer[] = [];
  const live = new Set<number>();

  const less = (a: Timer, b: Timer): boolean => a.at < b.at || (a.at === b.at && a.id < b.id);
  const push = (t: Timer): void => {
    heap.push(t);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): Timer | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  // Cleared timers stay in the heap (removal is O(n)) and are skipped when they come up.
  const peekLive = (): Timer | undefined => {
    while (heap.length > 0 && !live.has(heap[0]!.id)) pop();
    return heap[0];
  };

  const clock: SimClock = {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
      live.add(id);
      push({ id, at: now + delay, callback });
      return id;
    },
    clearTimeout(handle) {
      if (typeof handle === 'number') live.delete(handle);
    },
    get pending() {
      return live.size;
    },
    async runUntil(untilMs) {
      await tick();
      for (let t = peekLive(); t && t.at <= untilMs; t = peekLive()) {
        pop();
        live.delete(t.id);
        now = Math.max(now, t.at);
        t.callback();
        await tick();
      }
      now = Math.max(now, untilMs);
    },
    async runAll(maxEvents = 50_000_000) {
      await tick();
      let fired = 0;
      for (let t = peekLive(); t; t = peekLive()) {
        if (++fired > maxEvents) throw new Error(`simClock: more than ${maxEvents} timers fired`);
        pop();
        live.delete(t.id);
        now = Math.max(now, t.at);
        t.callback();
        await tick();
      }
    },
    runAllSync() {
      for (let t = peekLive(); t; t = peekLive()) {
        pop();
        live.delete(t.id);
        now = Math.max(now, t.at);
        t.callback();
      }
    },
    settle: tick,
  };
  return clock;
}

/** A timer-based sleep on a sim clock. */
export const sleepOn = (clock: Clock, ms: number): Promise<void> =>
  new Promise((resolve) => {
    clock.setTimeout(resolve, ms);
  });
