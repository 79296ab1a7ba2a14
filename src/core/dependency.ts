import type { BrownoutError } from './BrownoutError.js';
import { Bulkhead } from './Bulkhead.js';
import { type Backoff, backoffFor } from './backoff.js';
import { type BreakerState, CircuitBreaker } from './CircuitBreaker.js';
import { monotonicNow } from './clock.js';
import { WindowedHistogram } from './LatencyHistogram.js';
import { MetricsRecorder } from './metrics.js';
import type { DependencyPolicy } from './options.js';
import type { ClientRuntime } from './pipeline/context.js';
import { RollingWindow } from './RollingWindow.js';
import type { SlowCounter } from './slowWait.js';
import type { BreakerControl, DegradedReason, DependencyStatus, HoldEvent, ProbeDueEvent } from './types.js';

/** One dependency's live state: its policy, breaker, bulkhead, windows, and the waits that end an outage. */
export interface Dependency {
  readonly policy: DependencyPolicy;
  readonly backoff: Backoff;
  readonly metrics: MetricsRecorder;
  readonly breaker: CircuitBreaker;
  readonly bulkhead: Bulkhead;
  readonly recent: RollingWindow<'calls' | 'successes' | 'retries'>;
  readonly recentLatency: WindowedHistogram;
  /** Calls waiting longer than `slowMs` for headers or the next body chunk now. */
  readonly slow: SlowCounter;
  lastSuccessAt: number | undefined;
  lastError: BrownoutError | undefined;
  /** Fires `hold-end` when a `Retry-After` hold runs out. */
  holdTimer: unknown;
  /** The status behind the running hold. */
  holdStatus: number | undefined;
  /** Fires `probe-due` when the open period ends. */
  waitTimer: unknown;
  /** A probe that came due while the page was offline or hidden: sent on return. */
  probePending: boolean;
  /** A hold ended and its probe is out: still down until that probe answers (no blink of "healthy"). */
  awaitingProbe: boolean;
}

/** Makes the state of dependency `policy.name`; its breaker's changes are told as `breaker` events. */
export function createDependency(rt: ClientRuntime, policy: DependencyPolicy): Dependency {
  const { clock, random, events } = rt;
  const name = policy.name;
  const dep: Dependency = {
    policy,
    backoff: backoffFor(policy.retry.jitter),
    metrics: new MetricsRecorder(name),
    breaker: new CircuitBreaker(policy.breaker, clock, random, (t) => {
      waitForProbe(rt, dep, t.to);
      events.emit('breaker', { dependency: name, ...t });
    }),
    bulkhead: new Bulkhead(clock, policy.maxConcurrent, policy.maxQueue),
    recent: new RollingWindow(clock, policy.breaker.windowMs, ['calls', 'successes', 'retries']),
    recentLatency: new WindowedHistogram(() => monotonicNow(clock), policy.breaker.windowMs),
    slow: { count: 0, onChange: (slow) => events.emit('slow', { dependency: name, slow }) },
    lastSuccessAt: undefined,
    lastError: undefined,
    holdTimer: undefined,
    holdStatus: undefined,
    waitTimer: undefined,
    probePending: false,
    awaitingProbe: false,
  };
  return dep;
}

/** Emits `probe-due` now, or on return when offline or hidden; sends the `probe` path if no one claims it. */
export function probeDue(rt: ClientRuntime, dep: Dependency, reason: ProbeDueEvent['reason']): boolean {
  if (rt.disposal.signal.aborted) return false;
  if (!rt.environment.online() || !rt.environment.visible()) {
    dep.probePending = true;
    return false;
  }
  dep.probePending = false;
  let claimed = false;
  rt.events.emit('probe-due', {
    dependency: dep.policy.name,
    reason,
    claim: () => {
      claimed = true;
    },
  });
  if (claimed || dep.policy.probe === undefined) return claimed;
  // Read to its end: a body that stalls re-opens the breaker its headers closed.
  rt.call(dep.policy.name, dep.policy.probe, { method: 'GET', maxAttempts: 1 }).then(
    (response) => response.arrayBuffer().catch(() => {}),
    () => {},
  );
  return true;
}

/** An open breaker: when its period ends, one probe is due (the breaker turns half-open only on a call). */
function waitForProbe(rt: ClientRuntime, dep: Dependency, state: BreakerState): void {
  const { clock } = rt;
  clock.clearTimeout(dep.waitTimer);
  dep.waitTimer = undefined;
  if (rt.disposal.signal.aborted || state.state !== 'open') {
    if (state.state === 'closed') dep.probePending = false;
    return;
  }
  if (!Number.isFinite(state.retryAt)) return;
  dep.waitTimer = clock.setTimeout(
    () => {
      dep.waitTimer = undefined;
      probeDue(rt, dep, 'open-ended');
    },
    Math.max(0, state.retryAt - clock.now()),
  );
}

/** Holds every call to `dep` until `hold.until`, says so, and says so again when the hold runs out. */
export function holdDependency(
  rt: ClientRuntime,
  dep: Dependency,
  hold: Omit<HoldEvent, 'dependency'>,
): void {
  const { breaker, policy } = dep;
  const { clock } = rt;
  breaker.hold(hold.until);
  const end = breaker.heldUntilMs;
  if (end === undefined) return;
  // The hold's real end: a shorter ask does not shorten a longer hold already running.
  rt.events.emit('hold', { dependency: policy.name, ...hold, until: end });
  if (rt.disposal.signal.aborted) return;
  clock.clearTimeout(dep.holdTimer);
  // Nothing else would end it: an idle app must learn that the dependency may be called again.
  dep.holdStatus = hold.status;
  dep.holdTimer = clock.setTimeout(() => {
    dep.holdTimer = undefined;
    if (breaker.heldUntilMs !== undefined) return;
    dep.holdStatus = undefined;
    // The probe goes first, so the hold's end is told with the dependency still down until it answers.
    if (breaker.state.state !== 'open') dep.awaitingProbe = probeDue(rt, dep, 'hold-ended');
    rt.events.emit('hold-end', { dependency: policy.name });
  }, end - clock.now());
}

/** What the client knows of `dep`'s health now. */
export function statusOf(dep: Dependency): DependencyStatus {
  const { policy, breaker, recent } = dep;
  const state = breaker.state;
  const held = breaker.heldUntilMs;
  const calls = recent.sum('calls');
  const successRate = calls === 0 ? 1 : recent.sum('successes') / calls;
  const retryRate = calls === 0 ? 0 : recent.sum('retries') / calls;
  const p95Ms = dep.recentLatency.quantile(0.95);
  const degradedBecause: DegradedReason[] = [];
  if (policy.slo.p95Ms !== undefined && p95Ms > policy.slo.p95Ms) degradedBecause.push('latency');
  if (policy.slo.successRate !== undefined && calls > 0 && successRate < policy.slo.successRate) {
    degradedBecause.push('success-rate');
  }
  // "Retries exceed 5 % of requests over the window" marks a dependency degraded even without targets.
  if (calls > 0 && retryRate > 0.05) degradedBecause.push('retries');
  const down = state.state !== 'closed' || held !== undefined || dep.awaitingProbe;
  const retryAt = held ?? (state.state === 'open' ? state.retryAt : undefined);
  return {
    dependency: policy.name,
    health: down ? 'down' : degradedBecause.length ? 'degraded' : 'healthy',
    slow: dep.slow.count > 0,
    ...(held === undefined || dep.holdStatus === undefined ? {} : { heldBy: dep.holdStatus }),
    degradedBecause,
    breaker: state,
    ...(retryAt === undefined ? {} : { retryAt }),
    p95Ms,
    successRate,
    retryRate,
    ...(dep.lastSuccessAt === undefined ? {} : { lastSuccessAt: dep.lastSuccessAt }),
    ...(dep.lastError === undefined ? {} : { lastError: dep.lastError.toJSON() }),
  };
}

/** The operator's switches for `dep`'s breaker. */
export function breakerControl(rt: ClientRuntime, dep: Dependency): BreakerControl {
  const { breaker } = dep;
  return {
    get state() {
      return breaker.state;
    },
    isolate: () => breaker.isolate(),
    reset: () => breaker.reset(),
    toJSON: () => breaker.toJSON(),
    restore: (state) => breaker.restore(state),
    hold: (untilMs) =>
      holdDependency(rt, dep, {
        until: untilMs,
        askedMs: Math.max(0, untilMs - rt.clock.now()),
        clamped: false,
      }),
    probeNow: () => breaker.probeNow(),
    get heldUntil() {
      return breaker.heldUntilMs;
    },
  };
}
