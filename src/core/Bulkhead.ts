import { type Clock, monotonicNow } from './clock.js';

/** Why a {@link Bulkhead} did not give a slot. */
export type BulkheadRefusal = 'queue-full' | 'timeout' | 'aborted';

interface Waiter {
  grant: () => void;
  refuse: (why: BulkheadRefusal, reason?: unknown) => void;
}

/**
 * A concurrency limit for one dependency: at most `maxConcurrent` calls in flight, at most `maxQueue`
 * waiting in FIFO order; a waiter gives up at its deadline or when its signal aborts.
 */
export class Bulkhead {
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly clock: Clock,
    readonly maxConcurrent: number,
    readonly maxQueue: number,
  ) {}

  /** Calls in flight. */
  get inFlight(): number {
    return this.active;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Resolves with a release function once a slot is free; rejects with the refusal's reason. Free slots
   * are granted synchronously (no await, no timer) on the fast path. `deadline` is on the monotonic clock.
   */
  acquire(deadline: number, signal: AbortSignal | undefined): (() => void) | Promise<() => void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return this.releaser();
    }
    if (this.queue.length >= this.maxQueue) return Promise.reject<() => void>('queue-full');
    return new Promise<() => void>((resolve, reject) => {
      const leave = (): void => {
        const at = this.queue.indexOf(waiter);
        if (at >= 0) this.queue.splice(at, 1);
        this.clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          this.active++;
          resolve(this.releaser());
        },
        refuse: (why) => {
          leave();
          reject(why);
        },
      };
      const onAbort = (): void => waiter.refuse('aborted');
      const timer = this.clock.setTimeout(
        () => waiter.refuse('timeout'),
        Math.max(0, deadline - monotonicNow(this.clock)),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Refuses every waiter (dispose). */
  clear(): void {
    for (const waiter of [...this.queue]) waiter.refuse('aborted');
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.queue[0]?.grant();
    };
  }
}
