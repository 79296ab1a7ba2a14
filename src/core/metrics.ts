import { LatencyHistogram } from './LatencyHistogram.js';

/** The classes failed attempts are counted under. */
export type ErrorClass = '4xx' | '5xx' | 'timeout' | 'network' | 'breaker' | 'budget' | 'queue' | 'aborted';

/** A snapshot of one dependency's counters since the client was created. */
export interface DependencyMetrics {
  readonly dependency: string;
  /** Logical calls made (each may have several attempts). */
  readonly requests: number;
  /** Attempts sent, first tries and retries. */
  readonly attempts: number;
  /** Calls that ended with a response the caller got (status below 400). */
  readonly successes: number;
  /** Calls that ended in an error. */
  readonly failures: number;
  /** Retries made. */
  readonly retries: number;
  /** `retries / requests` (0 with no requests). */
  readonly retryRate: number;
  /** Failed attempts by class (plus calls refused by the budget, and user aborts). */
  readonly errorsByClass: Readonly<Record<ErrorClass, number>>;
  /** Calls answered from the cache after a failure. */
  readonly fallbacks: number;
  /** Calls in flight now, and calls waiting for a slot (the bulkhead's queue). */
  readonly inFlight: number;
  readonly queued: number;
  /** Time to response headers per attempt, in ms, from a fixed-size histogram. */
  readonly latency: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly count: number;
  };
}

const zeroClasses = (): Record<ErrorClass, number> => ({
  '4xx': 0,
  '5xx': 0,
  timeout: 0,
  network: 0,
  breaker: 0,
  budget: 0,
  queue: 0,
  aborted: 0,
});

/** The mutable counters behind {@link DependencyMetrics}. */
export class MetricsRecorder {
  requests = 0;
  attempts = 0;
  successes = 0;
  failures = 0;
  retries = 0;
  fallbacks = 0;
  readonly errorsByClass = zeroClasses();
  readonly latency = new LatencyHistogram();

  constructor(readonly dependency: string) {}

  snapshot(inFlight = 0, queued = 0): DependencyMetrics {
    return {
      fallbacks: this.fallbacks,
      inFlight,
      queued,
      dependency: this.dependency,
      requests: this.requests,
      attempts: this.attempts,
      successes: this.successes,
      failures: this.failures,
      retries: this.retries,
      retryRate: this.requests === 0 ? 0 : this.retries / this.requests,
      errorsByClass: { ...this.errorsByClass },
      latency: {
        p50: this.latency.quantile(0.5),
        p95: this.latency.quantile(0.95),
        p99: this.latency.quantile(0.99),
        count: this.latency.count,
      },
    };
  }
}
