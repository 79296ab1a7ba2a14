import type { BrownoutError } from './BrownoutError.js';
import type { Dependency } from './dependency.js';
import type { Emitter } from './events.js';
import { classify } from './failure.js';
import type { ClientEvents } from './types.js';

/** What the steps tell of a call: the one observer below keeps the counters and emits the events. */
export type CallAction =
  | { readonly type: 'call' }
  | { readonly type: 'attempt'; readonly attempt: number; readonly method: string; readonly url: string }
  | { readonly type: 'latency'; readonly ms: number }
  /** A failed attempt, or a refusal in front of the dependency (breaker, budget, bulkhead, abort). */
  | { readonly type: 'failed'; readonly error: BrownoutError }
  | {
      readonly type: 'retry';
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: BrownoutError;
    }
  | { readonly type: 'success'; readonly attempts: number; readonly status: number }
  /** Headers came, then the body stalled or broke: the call failed after all. */
  | { readonly type: 'body-failed'; readonly error: BrownoutError }
  | {
      readonly type: 'fallback';
      readonly key: string;
      readonly fetchedAt: number;
      readonly ageMs: number;
      readonly error: BrownoutError;
      readonly lastError: BrownoutError | undefined;
    }
  | { readonly type: 'fresh'; readonly key: string; readonly fetchedAt: number }
  /** The call failed for good; `told: false` for a call cancelled before it began. */
  | {
      readonly type: 'give-up';
      readonly error: BrownoutError;
      readonly lastError: BrownoutError | undefined;
      readonly told?: boolean;
    };

/**
 * The reducer of a dependency's bookkeeping (like query-core's `#dispatch`): metrics, rolling windows, last
 * success and error, and the public events, from what the steps report. No step touches a counter.
 */
export function observe(
  dep: Dependency,
  events: Emitter<ClientEvents>,
  now: () => number,
  correlationId: string,
  action: CallAction,
): void {
  const { metrics } = dep;
  const dependency = dep.policy.name;
  switch (action.type) {
    case 'call':
      metrics.requests++;
      dep.recent.add('calls');
      return;
    case 'attempt':
      metrics.attempts++;
      if (events.has('attempt')) events.emit('attempt', { dependency, correlationId, ...dropType(action) });
      return;
    case 'latency':
      metrics.latency.record(action.ms);
      dep.recentLatency.record(action.ms);
      return;
    case 'failed': {
      const cls = classify(action.error).metric;
      if (cls) metrics.errorsByClass[cls]++;
      return;
    }
    case 'retry':
      metrics.retries++;
      dep.recent.add('retries');
      events.emit('retry', { dependency, correlationId, ...dropType(action) });
      return;
    case 'success':
      metrics.successes++;
      dep.recent.add('successes');
      dep.lastSuccessAt = now();
      if (events.has('success')) events.emit('success', { dependency, correlationId, ...dropType(action) });
      return;
    case 'body-failed':
      dep.lastError = action.error;
      events.emit('give-up', {
        dependency,
        attempts: action.error.attempts,
        error: action.error,
        correlationId,
      });
      return;
    case 'fallback':
      metrics.fallbacks++;
      dep.lastError = action.lastError ?? action.error;
      events.emit('fallback', {
        dependency,
        key: action.key,
        fetchedAt: action.fetchedAt,
        ageMs: action.ageMs,
        error: action.error,
      });
      return;
    case 'fresh':
      events.emit('fresh', {
        dependency,
        freshness: { key: action.key, source: 'network', fetchedAt: action.fetchedAt },
      });
      return;
    case 'give-up': {
      const { error } = action;
      metrics.failures++;
      // The last error is the dependency's own failure, not a refusal of ours in front of it.
      if (error.kind !== 'aborted')
        dep.lastError = error.kind === 'breaker-open' ? (action.lastError ?? dep.lastError) : error;
      if (action.told !== false)
        events.emit('give-up', { dependency, attempts: error.attempts, error, correlationId });
      return;
    }
  }
}

function dropType<A extends { type: string }>(action: A): Omit<A, 'type'> {
  const { type: _type, ...rest } = action;
  return rest;
}
