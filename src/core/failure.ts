import { type BrownoutError, isBrownoutError } from './BrownoutError.js';
import type { Outcome } from './CircuitBreaker.js';
import type { ErrorClass } from './metrics.js';

/**
 * The one reading of a failure that the client, the outbox, tab sharing and the store act on: whether a
 * call tries again, how the breaker counts it, whether a write may wait in the outbox, and which metric
 * class it falls under.
 */
export interface FailureClass {
  /** The call may be tried again (a transient failure: 5xx in the dependency's list, timeouts, network). */
  readonly retriable: boolean;
  /**
   * How it counts for the breaker: transient failures count; a non-retriable 4xx is an answer (the service
   * is up: it closes a half-open breaker); cancellations, unreadable bodies and offline count for nothing.
   */
  readonly breaker: Outcome;
  /** A write that failed so may wait in the outbox and be sent later under its idempotency key. */
  readonly queueable: boolean;
  /** The metric class it is counted under, if any. */
  readonly metric: ErrorClass | undefined;
}

const METRIC: Partial<Record<BrownoutError['kind'], ErrorClass>> = {
  timeout: 'timeout',
  network: 'network',
  'breaker-open': 'breaker',
  'budget-exhausted': 'budget',
  aborted: 'aborted',
  'queue-full': 'queue',
};
const QUEUEABLE = new Set<BrownoutError['kind']>([
  'breaker-open',
  'network',
  'timeout',
  'budget-exhausted',
  'queue-full',
]);

/** Classifies any thrown value (only a BrownoutError can be transient). */
export function classify(error: unknown): FailureClass {
  if (!isBrownoutError(error))
    return { retriable: false, breaker: 'neutral', queueable: false, metric: undefined };
  const { kind } = error;
  const http = kind === 'http';
  return {
    retriable: error.retriable,
    breaker:
      http && !error.retriable
        ? 'success'
        : kind === 'aborted' || kind === 'parse' || error.code === 'network.offline'
          ? 'neutral'
          : 'failure',
    queueable: QUEUEABLE.has(kind) || (http && error.retriable),
    metric: http ? ((error.status ?? 0) >= 500 ? '5xx' : '4xx') : METRIC[kind],
  };
}

/** How a write's sending ended, as the outbox acts on it. */
export type WriteAnswer = 'auth' | 'conflict' | 'rejected' | 'offline' | 'transient';

/**
 * What a failed send of a queued write means: `auth` (401/403: sign in again), `conflict` (412, 422, or 409
 * when the write carried a precondition), `rejected` (another 4xx but 408/409/429: the server will never take
 * it), `offline` (the device went offline), else `transient` (send again later, same key). A 409 without a
 * precondition is "still in flight" for an idempotency key, so transient.
 */
export function answerOf(error: unknown, how: { readonly precondition: boolean }): WriteAnswer {
  if (!isBrownoutError(error)) return 'rejected';
  const { status } = error;
  if (status === 401 || status === 403) return 'auth';
  if (status === 422 || status === 412 || (status === 409 && how.precondition)) return 'conflict';
  if (
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    status !== 408 &&
    status !== 409 &&
    status !== 429
  )
    return 'rejected';
  if (error.code === 'network.offline') return 'offline';
  return 'transient';
}
