import type { BrownoutError } from './BrownoutError.js';
import type { BreakerState, BreakerTransition } from './CircuitBreaker.js';
import type { Clock } from './clock.js';
import type { Environment } from './environment.js';
import type { DependencyMetrics } from './metrics.js';
import type { DependencyPolicy, TimeoutOptions } from './options.js';
import type { Freshness } from './ResponseCache.js';

/** `RequestInit` plus what Brownout reads per call. */
export interface BrownoutRequestInit extends RequestInit {
  /** Overrides the dependency's time limits for this call. */
  timeouts?: TimeoutOptions;
  /** The idempotency key for this logical call (else one is made when the dependency asks for keys). */
  idempotencyKey?: string;
  /** The key this read's last good value is cached under. @default `${method} ${url}` */
  cacheKey?: string;
  /** Overrides the dependency's `retry.maxAttempts` for this call (the outbox replays with 1). */
  maxAttempts?: number;
  /**
   * For writes to a `writes: 'queue'` dependency: writes with the same order key take effect in the order
   * made (one at a time); give independent resources their own key to send them side by side.
   * @default the dependency's name
   */
  orderKey?: string;
}

/** A fetch-compatible function bound to one dependency. */
export type BrownoutFetch = (input: RequestInfo | URL, init?: BrownoutRequestInit) => Promise<Response>;

/** Emitted before each attempt is sent. */
export interface AttemptEvent {
  readonly dependency: string;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly method: string;
  readonly url: string;
  readonly correlationId: string;
}
/** Emitted when a failed attempt will be retried, before the sleep. */
export interface RetryEvent {
  readonly dependency: string;
  /** The attempt that failed. */
  readonly attempt: number;
  readonly delayMs: number;
  /** Why: the failed attempt's error. */
  readonly reason: BrownoutError;
  readonly correlationId: string;
}
/** Emitted when a call fails for good. */
export interface GiveUpEvent {
  readonly dependency: string;
  readonly attempts: number;
  readonly error: BrownoutError;
  readonly correlationId: string;
}
/** Emitted when a call gets its response (status below 400). */
export interface SuccessEvent {
  readonly dependency: string;
  readonly attempts: number;
  readonly status: number;
  readonly correlationId: string;
}

/** Emitted on every change of a dependency's breaker, with the reason. */
export interface BreakerEvent extends BreakerTransition {
  readonly dependency: string;
}
/** Emitted when a failed read is answered from the cache. */
export interface FallbackEvent {
  readonly dependency: string;
  readonly key: string;
  readonly fetchedAt: number;
  readonly ageMs: number;
  /** The failure the cached value stands in for. */
  readonly error: BrownoutError;
}
/** Emitted when a read gets a value from the network (its key's freshness changes). */
export interface FreshEvent {
  readonly dependency: string;
  readonly freshness: Freshness;
}

/** Emitted when a server's `Retry-After` (429, 503) holds every call to a dependency. */
export interface HoldEvent {
  readonly dependency: string;
  /** The status that asked for the hold; absent when the app (or another tab) set it through `breaker(name).hold`. */
  readonly status?: number;
  /** When calls may go again (the client's clock, ms): the hold's end after clamping. */
  readonly until: number;
  /** What the server asked for, in ms. */
  readonly askedMs: number;
  /** Whether the ask was longer than `retry.maxRetryAfterMs` and was cut to it. */
  readonly clamped: boolean;
}
/** Emitted when a `Retry-After` hold has run out: calls may go again (nothing has been sent yet). */
export interface HoldEndEvent {
  readonly dependency: string;
}

/** Emitted when the device goes offline or comes back online (the client's {@link Environment}). */
export interface ConnectivityEvent {
  readonly online: boolean;
}

/**
 * Emitted when a dependency's calls start or stop waiting longer than `timeouts.slowMs` for headers (across
 * a call's retries) or for the next chunk of a body being read.
 */
export interface SlowEvent {
  readonly dependency: string;
  /** True while at least one call has waited longer than `slowMs`. */
  readonly slow: boolean;
}

/**
 * Emitted when a wait has ended and the dependency should be probed once: an open breaker's period or a
 * `Retry-After` hold ran out (or the page came back online or visible with the wait over). A listener that
 * sends the probe itself (a bound `QueryClient` refetching a shown query) calls `claim()`; otherwise the
 * client GETs the dependency's `probe` path, if it has one.
 */
export interface ProbeDueEvent {
  readonly dependency: string;
  readonly reason: 'open-ended' | 'hold-ended' | 'returned';
  /** Says that this listener sends the probe: the client sends none of its own. */
  claim(): void;
}

/** Every event a client emits, by type. */
export interface ClientEvents {
  connectivity: ConnectivityEvent;
  slow: SlowEvent;
  'probe-due': ProbeDueEvent;
  hold: HoldEvent;
  'hold-end': HoldEndEvent;
  attempt: AttemptEvent;
  retry: RetryEvent;
  'give-up': GiveUpEvent;
  success: SuccessEvent;
  breaker: BreakerEvent;
  fallback: FallbackEvent;
  fresh: FreshEvent;
}

/** Why a dependency that is up counts as degraded. */
export type DegradedReason = 'latency' | 'success-rate' | 'retries';

/** What the client knows of a dependency's health now. */
export interface DependencyStatus {
  readonly dependency: string;
  /** `down`: breaker open or half-open, or held by a `Retry-After`; `degraded`: up but missing its targets. */
  readonly health: 'healthy' | 'degraded' | 'down';
  /** True while a call has waited longer than `timeouts.slowMs` for its headers or its next body chunk. */
  readonly slow: boolean;
  /** The status that asked for the running `Retry-After` hold (429, 503), if one is running. */
  readonly heldBy?: number;
  readonly degradedBecause: readonly DegradedReason[];
  readonly breaker: BreakerState;
  /** When calls may go out again (epoch ms), while down. */
  readonly retryAt?: number;
  /** p95 time to headers over the breaker's window, in ms. */
  readonly p95Ms: number;
  /** Share of calls that succeeded over the window (1 with no calls). */
  readonly successRate: number;
  /** Retries per call over the window. */
  readonly retryRate: number;
  readonly lastSuccessAt?: number;
  /** The last failure, as problem details JSON. */
  readonly lastError?: Readonly<Record<string, unknown>>;
}

/** An operator's handle on one dependency's breaker. */
export interface BreakerControl {
  /** The breaker's state now. */
  readonly state: BreakerState;
  /** Opens it until {@link BreakerControl.reset}: no call goes out. */
  isolate(): void;
  /** Closes it and forgets counts and `Retry-After` holds. */
  reset(): void;
  /** The state, serializable, for {@link BreakerControl.restore}. */
  toJSON(): BreakerState;
  /** Restores a saved state (an open breaker stays open until its `retryAt`). */
  restore(state: BreakerState): void;
  /** Holds every call until `untilMs`, as a `Retry-After` does. */
  hold(untilMs: number): void;
  /**
   * A user's "Retry now": an open breaker lets one probe through at once instead of at its `retryAt`
   * (never more than one, never past a `Retry-After` hold or an isolation). Returns whether a probe may go.
   */
  probeNow(): boolean;
  /** The end of a `Retry-After` hold, if one is running. */
  readonly heldUntil: number | undefined;
}

/** A client: every call to a dependency goes through it. */
export interface BrownoutClient<Name extends string = string> {
  /** Calls `dependency` like `fetch`; resolves with the response (status < 400), rejects with a {@link BrownoutError}. */
  fetch(dependency: Name, input: RequestInfo | URL, init?: BrownoutRequestInit): Promise<Response>;
  /**
   * Like {@link BrownoutClient.fetch}, then reads the body as JSON safely: no prototype changes, malformed
   * JSON → `kind: 'parse'`, an empty body → `undefined`.
   */
  json<T = unknown>(dependency: Name, input: RequestInfo | URL, init?: BrownoutRequestInit): Promise<T>;
  /** A fetch-compatible function bound to `dependency`, for libraries that take a `fetch`. */
  fetcher(dependency: Name): BrownoutFetch;
  /** A snapshot of `dependency`'s counters and latency quantiles. */
  metrics(dependency: Name): DependencyMetrics;
  /** `dependency`'s health now: breaker, targets, last success and error. */
  status(dependency: Name): DependencyStatus;
  /** The operator's switches for `dependency`'s breaker. */
  breaker(dependency: Name): BreakerControl;
  /** The validated policy of `dependency`, defaults filled in. */
  policy(dependency: Name): DependencyPolicy;
  /** The client's clock (for ages and countdowns on the same time base). */
  readonly clock: Clock;
  /** Whether the device is online and the page visible, as the client sees it. */
  readonly environment: Environment;
  /** Subscribes to typed events; returns the unsubscribe. */
  on<K extends keyof ClientEvents>(type: K, listener: (event: ClientEvents[K]) => void): () => void;
  /** The dependencies' names. */
  readonly dependencies: readonly Name[];
  /** Stops every timer, fails calls in flight with `aborted`, drops every listener. Idempotent. */
  dispose(): void;
}
