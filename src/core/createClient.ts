import { BrownoutError, type BrownoutErrorInit, statusTitle } from './BrownoutError.js';
import { Bulkhead } from './Bulkhead.js';
import { type Backoff, backoffFor } from './backoff.js';
import { type BreakerState, type BreakerTransition, CircuitBreaker, type Outcome } from './CircuitBreaker.js';
import { type Clock, monotonicNow, systemClock } from './clock.js';
import { CLIENT_DEFAULTS } from './defaults.js';
import { browserEnvironment, type Environment } from './environment.js';
import { Emitter } from './events.js';
import { createIdempotencyKey } from './ids.js';
import { WindowedHistogram } from './LatencyHistogram.js';
import { type DependencyMetrics, type ErrorClass, MetricsRecorder } from './metrics.js';
import {
  type ClientOptions,
  checkBoolean,
  checkClientKeys,
  checkHeaderName,
  checkNumber,
  type DependencyPolicy,
  normalizeBudget,
  normalizeDependency,
  normalizeOrigins,
  type TimeoutOptions,
  withBaseUrl,
} from './options.js';
import { DEFAULT_MAX_ERROR_BODY_BYTES, parseProblem, readBounded, safeJsonParse } from './problem.js';
import {
  type CachedResponse,
  type Freshness,
  markFreshness,
  type ResponseCache,
  SOURCE_HEADER,
} from './ResponseCache.js';
import { RetryBudget } from './RetryBudget.js';
import { RollingWindow } from './RollingWindow.js';
import { type Random, systemRandom } from './random.js';
import { fetchKeepingHeaders, seesRedirects } from './redirects.js';
import { parseRetryAfter } from './retryAfter.js';
import { createTraceId, createTraceparent, isPropagationAllowed, traceIdOf } from './trace.js';
import { watchBody } from './watchBody.js';

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

interface Dependency {
  readonly policy: DependencyPolicy;
  readonly backoff: Backoff;
  readonly metrics: MetricsRecorder;
  readonly breaker: CircuitBreaker;
  readonly bulkhead: Bulkhead;
  readonly recent: RollingWindow<'calls' | 'successes' | 'retries'>;
  readonly recentLatency: WindowedHistogram;
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
  /** Calls waiting longer than `slowMs` for headers or the next body chunk now. */
  slowCalls: number;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
// A method is an HTTP token (RFC 9110 §9.1); fetch forbids these three (Fetch §2.2.1, "forbidden method").
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
// Headers a cached response keeps: what a reader needs to interpret the body, nothing private.
const KEPT_HEADERS = new Set(['content-type', 'content-language', 'etag', 'last-modified']);

const errorClass = (error: BrownoutError): ErrorClass | undefined => {
  switch (error.kind) {
    case 'http':
      return (error.status ?? 0) >= 500 ? '5xx' : '4xx';
    case 'timeout':
      return 'timeout';
    case 'network':
      return 'network';
    case 'breaker-open':
      return 'breaker';
    case 'budget-exhausted':
      return 'budget';
    case 'aborted':
      return 'aborted';
    case 'queue-full':
      return 'queue';
    default:
      return undefined;
  }
};

/**
 * How an attempt's end counts for the breaker: transient failures count; a 4xx is an answer (the service is
 * up: it closes a half-open breaker, where a neutral end would leave it probing for good); cancellations,
 * unreadable bodies and offline count for nothing.
 */
const outcomeOf = (error: BrownoutError): Outcome =>
  error.kind === 'http' && !error.retriable
    ? 'success'
    : error.kind === 'aborted' || error.kind === 'parse' || error.code === 'network.offline'
      ? 'neutral'
      : 'failure';

const seconds = (ms: number): string => `${Math.ceil(ms / 1000)} s`;

/** The most bytes of one response body kept in the cache. */
const MAX_CACHED_BODY_BYTES = 1024 * 1024;

const concat = (chunks: readonly Uint8Array[], size: number): Uint8Array => {
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
};

/**
 * Reads a response body as JSON safely: no prototype keys, malformed JSON → a `kind: 'parse'`
 * BrownoutError, an empty body → `undefined`.
 */
export async function readJson<T>(response: Response, dependency: string): Promise<T> {
  const text = await response.text();
  if (text === '') return undefined as T;
  try {
    return safeJsonParse(text) as T;
  } catch (cause) {
    throw new BrownoutError({
      kind: 'parse',
      code: 'parse.json',
      title: 'Malformed response',
      message: `${dependency} sent a response that is not valid JSON.`,
      status: response.status,
      dependency,
      cause,
    });
  }
}

/**
 * Body readers that reject with the stream's own error. Chromium's `Response.text()` turns any stream
 * error into `TypeError: Failed to fetch`, which would hide a `timeout.body` BrownoutError from callers.
 */
function readersKeepingErrors(response: Response): PropertyDescriptorMap {
  const bytes = async (): Promise<Uint8Array> => {
    if (!response.body) return new Uint8Array(0);
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
    return concat(chunks, size);
  };
  const text = async (): Promise<string> => new TextDecoder().decode(await bytes());
  return {
    bytes: { value: bytes },
    text: { value: text },
    json: { value: async (): Promise<unknown> => JSON.parse(await text()) },
    arrayBuffer: { value: async (): Promise<ArrayBuffer> => (await bytes()).slice().buffer },
    blob: {
      value: async (): Promise<Blob> =>
        new Blob([(await bytes()) as BlobPart], { type: response.headers.get('content-type') ?? '' }),
    },
  };
}

/**
 * Creates a Brownout client: every call to a named dependency gets deadlines, full-jitter retries of
 * transient failures only, a shared retry budget, trace context and one error type with problem details.
 * Options are validated here: nonsense throws a `RangeError`/`TypeError` naming the dependency and option.
 * @example
 * const client = createClient({ dependencies: { pricing: { baseUrl: '/api' } } });
 * const prices = await client.json<Price[]>('pricing', '/prices');
 */
export function createClient<Name extends string>(options: ClientOptions<Name>): BrownoutClient<Name> {
  if (
    !options ||
    typeof options !== 'object' ||
    !options.dependencies ||
    typeof options.dependencies !== 'object'
  ) {
    throw new TypeError('createClient: option "dependencies" must be an object of dependency options.');
  }
  checkClientKeys(options);
  const clock: Clock = options.clock ?? systemClock;
  const environment: Environment = options.environment ?? browserEnvironment();
  const random: Random = options.random ?? systemRandom;
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const budget = new RetryBudget(clock, normalizeBudget(options.retryBudget));
  const allowedOrigins = normalizeOrigins(options.allowedOrigins);
  const trace = checkBoolean(options.trace ?? CLIENT_DEFAULTS.trace, undefined, 'trace');
  const idempotencyHeader = checkHeaderName(
    options.idempotencyHeader ?? CLIENT_DEFAULTS.idempotencyHeader,
    'idempotencyHeader',
  );
  const deadlineHeader =
    options.deadlineHeader === undefined
      ? undefined
      : checkHeaderName(options.deadlineHeader, 'deadlineHeader');
  const maxErrorBodyBytes = checkNumber(
    options.maxErrorBodyBytes ?? DEFAULT_MAX_ERROR_BODY_BYTES,
    undefined,
    'maxErrorBodyBytes',
    {
      min: 0,
      integer: true,
    },
  );
  const cache: ResponseCache | undefined = options.cache;
  const events = new Emitter<ClientEvents>();
  const deps = new Map<string, Dependency>();
  for (const name of Object.keys(options.dependencies) as Name[]) {
    const policy = normalizeDependency(name, options.dependencies[name]);
    deps.set(name, {
      policy,
      backoff: backoffFor(policy.retry.jitter),
      metrics: new MetricsRecorder(name),
      breaker: new CircuitBreaker(policy.breaker, clock, random, (t) => {
        const dep = deps.get(name);
        if (dep) waitForProbe(dep, t.to);
        events.emit('breaker', { dependency: name, ...t });
      }),
      bulkhead: new Bulkhead(clock, policy.maxConcurrent, policy.maxQueue),
      recent: new RollingWindow(clock, policy.breaker.windowMs, ['calls', 'successes', 'retries']),
      recentLatency: new WindowedHistogram(() => monotonicNow(clock), policy.breaker.windowMs),
      lastSuccessAt: undefined,
      lastError: undefined,
      holdTimer: undefined,
      holdStatus: undefined,
      waitTimer: undefined,
      probePending: false,
      slowCalls: 0,
      awaitingProbe: false,
    });
  }
  // Calls in flight, so dispose() can stop their timers and fail them.
  const inFlight = new Set<(reason: BrownoutError) => void>();
  let disposed = false;
  // Aborted by dispose(): also stops body reads, which outlive the call that returned the response.
  const disposal = new AbortController();

  /**
   * One wait of a call (for headers, across its retries; or for the next chunk of its body) that makes the
   * dependency slow once it has lasted `slowMs`, until something arrives. A failed attempt `pause`s it: the
   * user is still waiting for the retry, so the kit does not blink between attempts.
   */
  const slowWait = (dep: Dependency, slowMs: number) => {
    let slow = false;
    let timer: unknown;
    return {
      waiting(): void {
        clock.clearTimeout(timer);
        if (slow) return;
        timer = clock.setTimeout(() => {
          slow = true;
          if (dep.slowCalls++ === 0) events.emit('slow', { dependency: dep.policy.name, slow: true });
        }, slowMs);
      },
      pause(): void {
        clock.clearTimeout(timer);
      },
      arrived(): void {
        clock.clearTimeout(timer);
        if (!slow) return;
        slow = false;
        if (--dep.slowCalls === 0) events.emit('slow', { dependency: dep.policy.name, slow: false });
      },
    };
  };

  /** Emits `probe-due` now, or on return when offline or hidden; sends the `probe` path if no one claims it. */
  const probeDue = (dep: Dependency, reason: ProbeDueEvent['reason']): boolean => {
    if (disposed) return false;
    if (!environment.online() || !environment.visible()) {
      dep.probePending = true;
      return false;
    }
    dep.probePending = false;
    let claimed = false;
    events.emit('probe-due', {
      dependency: dep.policy.name,
      reason,
      claim: () => {
        claimed = true;
      },
    });
    if (!claimed && dep.policy.probe !== undefined) {
      // Read to its end: a body that stalls re-opens the breaker its headers closed.
      call(dep.policy.name, dep.policy.probe, { method: 'GET', maxAttempts: 1 }).then(
        (response) => response.arrayBuffer().catch(() => {}),
        () => {},
      );
      return true;
    }
    return claimed;
  };
  /** An open breaker: when its period ends, one probe is due (the breaker turns half-open only on a call). */
  const waitForProbe = (dep: Dependency, state: BreakerState): void => {
    clock.clearTimeout(dep.waitTimer);
    dep.waitTimer = undefined;
    if (disposed || state.state !== 'open') {
      if (state.state === 'closed') dep.probePending = false;
      return;
    }
    if (!Number.isFinite(state.retryAt)) return;
    dep.waitTimer = clock.setTimeout(
      () => {
        dep.waitTimer = undefined;
        probeDue(dep, 'open-ended');
      },
      Math.max(0, state.retryAt - clock.now()),
    );
  };
  // Back online, or visible again: the probes that came due meanwhile go, each at a random time within 1 s.
  let wasOnline = environment.online();
  const returnTimers = new Set<unknown>();
  const stopEnvironment = environment.subscribe(() => {
    const online = environment.online();
    if (online !== wasOnline) {
      wasOnline = online;
      events.emit('connectivity', { online });
    }
    // A listener may have disposed the client: no probe timer may outlive it.
    if (disposed || !online || !environment.visible()) return;
    for (const dep of deps.values()) {
      if (!dep.probePending) continue;
      dep.probePending = false;
      const timer = clock.setTimeout(() => {
        returnTimers.delete(timer);
        probeDue(dep, 'returned');
      }, random() * 1_000);
      returnTimers.add(timer);
    }
  });

  /** Holds every call to `dep` until `hold.until`, says so, and says so again when the hold runs out. */
  const holdDependency = (dep: Dependency, hold: Omit<HoldEvent, 'dependency'>): void => {
    const { breaker, policy } = dep;
    breaker.hold(hold.until);
    const end = breaker.heldUntilMs;
    if (end === undefined) return;
    // The hold's real end: a shorter ask does not shorten a longer hold already running.
    events.emit('hold', { dependency: policy.name, ...hold, until: end });
    if (disposed) return;
    clock.clearTimeout(dep.holdTimer);
    // Nothing else would end it: an idle app must learn that the dependency may be called again.
    dep.holdStatus = hold.status;
    dep.holdTimer = clock.setTimeout(() => {
      dep.holdTimer = undefined;
      if (breaker.heldUntilMs !== undefined) return;
      dep.holdStatus = undefined;
      // The probe goes first, so the hold's end is told with the dependency still down until it answers.
      if (breaker.state.state !== 'open') dep.awaitingProbe = probeDue(dep, 'hold-ended');
      events.emit('hold-end', { dependency: policy.name });
    }, end - clock.now());
  };

  // The headers the client adds for allowed origins only, and who may receive them after a redirect.
  const ownHeaders = ['traceparent', idempotencyHeader, ...(deadlineHeader ? [deadlineHeader] : [])];
  const mayReceive = (target: URL): boolean => isPropagationAllowed(target, allowedOrigins);

  const dependency = (name: string): Dependency => {
    const dep = deps.get(name);
    if (!dep) {
      throw new TypeError(
        `Brownout: unknown dependency "${name}". Known: ${[...deps.keys()].join(', ') || 'none'}.`,
      );
    }
    return dep;
  };

  async function call(
    name: string,
    input: RequestInfo | URL,
    init: BrownoutRequestInit = {},
  ): Promise<Response> {
    const dep = dependency(name);
    const { policy, metrics } = dep;
    const timeouts = init.timeouts ? { ...policy.timeouts, ...init.timeouts } : policy.timeouts;
    // The deadline is on the monotonic clock: a wall clock set an hour forward must not end the call at
    // once, nor one set back stretch it by an hour.
    const deadline = monotonicNow(clock) + timeouts.totalMs;
    const request = input instanceof Request ? input : undefined;
    const signal = init.signal ?? request?.signal ?? undefined;
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const rawUrl = request ? request.url : String(input);
    const url = request ? rawUrl : withBaseUrl(policy.baseUrl, rawUrl);
    const location = (globalThis as { location?: { href?: string } }).location?.href;
    const parsed = URL.canParse(url, location) ? new URL(url, location) : undefined;
    // Bad input is the caller's error, found now: not a network outage to retry and count against the breaker.
    if (!parsed) {
      throw new TypeError(
        `Brownout: cannot resolve the URL "${url}" for dependency "${name}": give the dependency a baseUrl or pass an absolute URL.`,
      );
    }
    // Only http(s) reaches a dependency: `file:`, `ftp:`, `data:`… would fail on every attempt and open the
    // breaker for the whole dependency over the caller's mistake.
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TypeError(
        `Brownout: the URL "${url}" for dependency "${name}" uses ${parsed.protocol.slice(0, -1)}: only http and https are called.`,
      );
    }
    if (parsed.username !== '' || parsed.password !== '') {
      throw new TypeError(
        `Brownout: the URL for dependency "${name}" has credentials in it; send them in a header (e.g. Authorization) instead.`,
      );
    }
    // fetch refuses these with a TypeError that would look like a network error: retried, counted.
    if (!METHOD_TOKEN.test(method) || FORBIDDEN_METHODS.has(method)) {
      throw new TypeError(
        `Brownout: ${JSON.stringify(method)} is not a method fetch can send (dependency "${name}").`,
      );
    }
    if ((method === 'GET' || method === 'HEAD') && init.body != null) {
      throw new TypeError(`Brownout: a ${method} request to "${name}" cannot have a body.`);
    }
    const propagate = isPropagationAllowed(parsed, allowedOrigins);
    const baseHeaders = new Headers(init.headers ?? request?.headers);
    const correlationId = traceIdOf(baseHeaders.get('traceparent')) ?? createTraceId();

    let key = init.idempotencyKey ?? baseHeaders.get(idempotencyHeader) ?? undefined;
    if (key === undefined && policy.idempotencyKeys && !IDEMPOTENT_METHODS.has(method) && propagate) {
      key = createIdempotencyKey();
    }
    if (key !== undefined && propagate) baseHeaders.set(idempotencyHeader, key);
    const keyed = key !== undefined && baseHeaders.has(idempotencyHeader);
    // RFC 9110 §9.2.2: only idempotent methods, or writes the server can deduplicate by key, are retried.
    const methodRetriable = IDEMPOTENT_METHODS.has(method) || keyed;
    const bodyReplayable = !(init.body instanceof ReadableStream);
    const {
      timeouts: _timeouts,
      idempotencyKey: _key,
      cacheKey: _cacheKey,
      maxAttempts: _maxAttempts,
      orderKey: _orderKey,
      ...requestInit
    } = init;
    // Where fetch shows redirects (not in a page), they are followed here, so that the trace, idempotency
    // and deadline headers never reach an origin that may not have them. A body that cannot be sent twice,
    // or a Request's own body, is left to fetch (which cannot resend a stream either).
    const followsRedirects =
      propagate &&
      (requestInit.redirect ?? request?.redirect ?? 'follow') === 'follow' &&
      bodyReplayable &&
      !request?.body &&
      seesRedirects();
    const maxAttempts = init.maxAttempts ?? policy.retry.maxAttempts;
    const isRead = method === 'GET' || method === 'HEAD';
    const cacheKey = init.cacheKey ?? `${method} ${url}`;
    const cacheReads = isRead && policy.reads === 'cache' && cache !== undefined;

    const fail = (e: Omit<BrownoutErrorInit, 'dependency' | 'correlationId'>): BrownoutError =>
      new BrownoutError({ ...e, dependency: name, correlationId });
    const aborted = (reason: unknown): BrownoutError =>
      fail({
        kind: 'aborted',
        code: 'aborted',
        message: `The call to ${name} was cancelled by the app.`,
        title: 'Request cancelled',
        cause: reason,
      });
    const timedOut = (which: 'headers' | 'body' | 'total'): BrownoutError =>
      fail({
        kind: 'timeout',
        code: `timeout.${which}`,
        title: 'Request timed out',
        message:
          which === 'headers'
            ? `${name} did not answer within ${timeouts.headersMs} ms.`
            : which === 'body'
              ? `${name} stopped sending its response for ${timeouts.bodyIdleMs} ms.`
              : `The call to ${name} ran out of its ${timeouts.totalMs} ms.`,
        retriable: which !== 'total',
      });

    metrics.requests++;
    budget.recordCall();
    dep.recent.add('calls');
    if (disposed) throw aborted(new Error('client disposed'));
    if (signal?.aborted) {
      metrics.failures++;
      metrics.errorsByClass.aborted++;
      throw aborted(signal.reason);
    }

    let attempt = 0;
    let previousSleep = 0;
    let final: BrownoutError | undefined;
    let lastError: BrownoutError | undefined;
    let releaseSlot: (() => void) | undefined;
    // Waiting for headers, across retries: slow from slowMs into a wait until headers come or the call ends.
    const headersWaited = slowWait(dep, timeouts.slowMs);
    try {
      // The bulkhead: a free slot is taken synchronously; otherwise wait in its queue, within the deadline.
      const slot = dep.bulkhead.acquire(deadline, signal);
      if (typeof slot === 'function') releaseSlot = slot;
      else {
        try {
          releaseSlot = await slot;
        } catch (why) {
          final =
            why === 'aborted'
              ? aborted(signal?.reason)
              : why === 'timeout'
                ? timedOut('total')
                : fail({
                    kind: 'queue-full',
                    code: 'queue.full',
                    title: 'Too many requests in flight',
                    message: `${name} already has ${policy.maxConcurrent} calls in flight and ${policy.maxQueue} waiting.`,
                  });
          const cls = errorClass(final);
          if (cls) metrics.errorsByClass[cls]++;
        }
      }
      while (!final) {
        attempt++;
        let error: BrownoutError;
        const permit = dep.breaker.acquire();
        if (!('done' in permit)) {
          const until = Number.isFinite(permit.retryAt)
            ? ` until ${new Date(permit.retryAt).toISOString()}`
            : '';
          error = fail({
            kind: 'breaker-open',
            code: `breaker.${permit.why}`,
            title: 'Temporarily unavailable',
            message:
              permit.why === 'held'
                ? `${name} asked not to be called${until} (Retry-After).`
                : permit.why === 'probing'
                  ? `${name} is being probed after an outage; calls wait for the probe.`
                  : `${name} is unavailable: its circuit breaker is open${until}.`,
            retryAt: permit.retryAt,
            attempts: attempt - 1,
            ...(lastError === undefined ? {} : { cause: lastError }),
          });
          metrics.errorsByClass.breaker++;
          final = error;
          break;
        }
        try {
          // A body that stalls or breaks after these headers turns this success into a failure (for a probe
          // too: the breaker its headers closed opens again).
          const response = await send(attempt, (stall) => {
            permit.done('failure');
            dep.lastError = stall;
            events.emit('give-up', { dependency: name, attempts: attempt, error: stall, correlationId });
          });
          permit.done('success');
          dep.awaitingProbe = false;
          metrics.successes++;
          dep.recent.add('successes');
          dep.lastSuccessAt = clock.now();
          if (events.has('success')) {
            events.emit('success', {
              dependency: name,
              attempts: attempt,
              status: response.status,
              correlationId,
            });
          }
          return response;
        } catch (e) {
          error = (e as BrownoutError).with({ attempts: attempt, dependency: name, correlationId });
          lastError = error;
          permit.done(outcomeOf(error));
          dep.awaitingProbe = false;
          const cls = errorClass(error);
          if (cls) metrics.errorsByClass[cls]++;
        }
        if (!error.retriable || !methodRetriable || !bodyReplayable || attempt >= maxAttempts) {
          final = error;
          break;
        }
        // The caller aborted while nothing listened (the error body was being read): no retry.
        if (signal?.aborted) {
          metrics.errorsByClass.aborted++;
          final = aborted(signal.reason).with({ attempts: attempt });
          break;
        }

        const now = clock.now();
        const backoff = dep.backoff({
          retry: attempt - 1,
          baseMs: policy.retry.baseMs,
          capMs: policy.retry.capMs,
          previousMs: previousSleep,
          random,
        });
        const asked = error.retryAt === undefined ? 0 : Math.max(0, error.retryAt - now);
        const delay = Math.max(backoff, asked);
        if (monotonicNow(clock) + delay >= deadline) {
          final =
            asked > backoff
              ? error.with({
                  message: `${error.message} It asked to retry in ${seconds(asked)}, after this call's deadline.`,
                })
              : error;
          break;
        }
        if (!budget.tryRetry()) {
          metrics.errorsByClass.budget++;
          final = fail({
            kind: 'budget-exhausted',
            code: 'budget.exhausted',
            title: 'Retry budget exhausted',
            message: `${name} failed and the retry budget is spent: not retrying, to avoid adding load.`,
            attempts: attempt,
            cause: error,
            ...(error.retryAt === undefined ? {} : { retryAt: error.retryAt }),
          });
          break;
        }
        metrics.retries++;
        dep.recent.add('retries');
        events.emit('retry', { dependency: name, attempt, delayMs: delay, reason: error, correlationId });
        previousSleep = delay;
        try {
          await sleep(delay, signal);
          // An abort in the same task as the sleep's end finds no listener left: check before the next attempt.
          if (signal?.aborted) throw aborted(signal.reason);
        } catch (reason) {
          metrics.errorsByClass.aborted++;
          final =
            reason instanceof BrownoutError
              ? reason.with({ attempts: attempt, dependency: name, correlationId })
              : aborted(reason).with({ attempts: attempt });
        }
      }
    } finally {
      headersWaited.arrived();
      releaseSlot?.();
    }

    // The call failed for good: a read may fall back to its last good value, if it is not too old.
    if (cacheReads && final.kind !== 'aborted') {
      const entry = await Promise.resolve()
        .then(() => cache?.get(cacheKey))
        .catch(() => undefined);
      const age = entry ? clock.now() - entry.fetchedAt : Number.POSITIVE_INFINITY;
      if (entry && age <= policy.maxStaleMs) {
        metrics.fallbacks++;
        dep.lastError = lastError ?? final;
        events.emit('fallback', {
          dependency: name,
          key: cacheKey,
          fetchedAt: entry.fetchedAt,
          ageMs: age,
          error: final,
        });
        const headers = new Headers(entry.headers as [string, string][]);
        headers.set(SOURCE_HEADER, 'cache');
        const body = method === 'HEAD' ? null : entry.body.slice();
        return markFreshness(new Response(body as BodyInit | null, { status: entry.status, headers }), {
          key: cacheKey,
          source: 'cache',
          fetchedAt: entry.fetchedAt,
        });
      }
    }
    if (policy.reads === 'partial' && isRead && final.kind !== 'aborted')
      final = final.with({ partial: true });
    metrics.failures++;
    // The last error is the dependency's own failure, not a refusal of ours in front of it.
    if (final.kind !== 'aborted')
      dep.lastError = final.kind === 'breaker-open' ? (lastError ?? dep.lastError) : final;
    events.emit('give-up', { dependency: name, attempts: final.attempts, error: final, correlationId });
    throw final;

    function sleep(ms: number, sig: AbortSignal | undefined): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        if (disposal.signal.aborted) return reject(disposal.signal.reason);
        // Aborted by a `retry` listener: no abort event is left to come, so do not sleep first.
        if (sig?.aborted) return reject(aborted(sig.reason));
        const done = (): void => {
          clock.clearTimeout(timer);
          sig?.removeEventListener('abort', onAbort);
          inFlight.delete(onDispose);
        };
        const onAbort = (): void => {
          done();
          reject(aborted(sig?.reason));
        };
        const onDispose = (reason: BrownoutError): void => {
          done();
          reject(reason);
        };
        const timer = clock.setTimeout(() => {
          done();
          resolve();
        }, ms);
        sig?.addEventListener('abort', onAbort, { once: true });
        inFlight.add(onDispose);
      });
    }

    async function send(attemptNo: number, onBodyFailure: (error: BrownoutError) => void): Promise<Response> {
      const attemptStart = monotonicNow(clock);
      const left = deadline - attemptStart;
      if (left <= 0) throw timedOut('total');
      const headers = new Headers(baseHeaders);
      if (propagate) {
        if (trace) headers.set('traceparent', createTraceparent(correlationId));
        if (deadlineHeader) headers.set(deadlineHeader, String(Math.max(0, Math.floor(left))));
      }
      metrics.attempts++;
      if (events.has('attempt')) {
        events.emit('attempt', { dependency: name, attempt: attemptNo, method, url, correlationId });
        // A listener may have disposed the client or aborted the call: then nothing is sent, no timer set.
        if (disposal.signal.aborted) throw disposal.signal.reason;
        if (signal?.aborted) throw aborted(signal.reason);
      }
      const controller = new AbortController();
      let limit: 'headers' | 'total' | undefined;
      let disposedWith: BrownoutError | undefined;
      const headersWait = Math.min(timeouts.headersMs, left);
      const timer = clock.setTimeout(() => {
        limit = headersWait < timeouts.headersMs ? 'total' : 'headers';
        controller.abort(timedOut(limit));
      }, headersWait);
      if (timeouts.slowMs < headersWait) headersWaited.waiting();
      const onAbort = (): void => controller.abort(signal?.reason);
      const onDispose = (reason: BrownoutError): void => {
        disposedWith = reason;
        release();
        headersWaited.pause();
        controller.abort(reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      inFlight.add(onDispose);
      const release = (): void => {
        clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        inFlight.delete(onDispose);
      };

      let response: Response;
      try {
        const attemptInit: RequestInit = { ...requestInit, method, headers, signal: controller.signal };
        response = followsRedirects
          ? await fetchKeepingHeaders(
              fetchImpl,
              request ? request.clone() : url,
              attemptInit,
              ownHeaders,
              mayReceive,
            )
          : await fetchImpl(request ? request.clone() : url, attemptInit);
      } catch (cause) {
        release();
        headersWaited.pause();
        if (disposedWith) throw disposedWith;
        if (signal?.aborted) throw aborted(signal.reason);
        if (limit) throw timedOut(limit);
        // Offline is the user's connection, not the dependency: not retried, not held against its breaker.
        if (!environment.online()) {
          throw fail({
            kind: 'network',
            code: 'network.offline',
            title: 'Offline',
            message: `${name} could not be reached: the device is offline.`,
            retriable: false,
            cause,
          });
        }
        throw fail({
          kind: 'network',
          code: 'network',
          title: 'Network error',
          message: `${name} could not be reached (offline, DNS, connection refused or blocked).`,
          retriable: policy.retry.networkErrors,
          cause,
        });
      }
      release();
      headersWaited.arrived();
      const latency = monotonicNow(clock) - attemptStart;
      metrics.latency.record(latency);
      dep.recentLatency.record(latency);

      if (response.status < 400) {
        const fetchedAt = clock.now();
        const fresh = cacheReads && response.status >= 200 && response.status < 300;
        // The data's age is the body's: it is fresh when it has all arrived, never on headers alone.
        const told = (at: number): void => {
          if (fresh) {
            events.emit('fresh', {
              dependency: name,
              freshness: { key: cacheKey, source: 'network', fetchedAt: at },
            });
          }
        };
        if (!response.body || NULL_BODY_STATUSES.has(response.status)) {
          told(fetchedAt);
          return fresh ? markFreshness(response, { key: cacheKey, source: 'network', fetchedAt }) : response;
        }
        // The body counts too (while it is read): a body that stalls after quick headers keeps the user waiting.
        const bodyWaited = slowWait(dep, timeouts.slowMs);
        // The body is kept for the cache as the caller reads it: no tee, no second read.
        const kept: Uint8Array[] = [];
        let keptBytes = 0;
        const watched = watchBody(response.body, {
          clock,
          idleMs: timeouts.bodyIdleMs,
          deadline,
          signal,
          stop: disposal.signal,
          onTimeout: (which) => {
            controller.abort();
            return timedOut(which);
          },
          onAbort: (reason) => {
            controller.abort(reason);
            return aborted(reason);
          },
          onError: (cause) =>
            fail({
              kind: 'network',
              code: 'network.body',
              title: 'Network error',
              message: `The connection to ${name} broke while its response was read.`,
              cause,
            }),
          onWait: (pending) => (pending ? bodyWaited.waiting() : bodyWaited.arrived()),
          onChunk: (chunk) => {
            if (!fresh) return;
            keptBytes += chunk.byteLength;
            if (keptBytes <= MAX_CACHED_BODY_BYTES) kept.push(chunk);
          },
          onSettled: (complete, error) => {
            bodyWaited.arrived();
            // A stall or a broken body is a failure of the dependency, like any other (a caller's abort is not).
            const failure = error instanceof BrownoutError ? error : undefined;
            if (failure && (failure.kind === 'timeout' || failure.kind === 'network')) {
              onBodyFailure(failure.with({ attempts: attemptNo, dependency: name, correlationId }));
            }
            if (!complete) return;
            const completedAt = clock.now();
            told(completedAt);
            if (!fresh || keptBytes > MAX_CACHED_BODY_BYTES) return;
            const entry: CachedResponse = {
              key: cacheKey,
              status: response.status,
              headers: [...response.headers].filter(([h]) => KEPT_HEADERS.has(h)),
              body: concat(kept, keptBytes),
              fetchedAt: completedAt,
            };
            Promise.resolve()
              .then(() => cache?.set(entry))
              .catch(() => {});
          },
        });
        const wrapped = new Response(watched, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
        Object.defineProperties(wrapped, {
          url: { value: response.url },
          redirected: { value: response.redirected },
          type: { value: response.type },
          ...readersKeepingErrors(wrapped),
        });
        return fresh ? markFreshness(wrapped, { key: cacheKey, source: 'network', fetchedAt }) : wrapped;
      }

      // An error: read a bounded slice of its body (still under the read timeout) for problem details.
      let text = '';
      try {
        const watched = response.body
          ? watchBody(response.body, {
              clock,
              idleMs: timeouts.bodyIdleMs,
              deadline,
              signal: undefined,
              stop: disposal.signal,
              onTimeout: (which) => timedOut(which),
              onAbort: aborted,
              onError: (cause) => cause as Error,
              onSettled: () => {},
            })
          : null;
        text = (await readBounded(watched, maxErrorBodyBytes)).text;
      } catch {
        // A broken error body still gives a clean error from the status alone.
      }
      const status = response.status;
      const problem = parseProblem(status, response.headers.get('content-type'), text);
      const asked =
        status === 429 || status === 503
          ? parseRetryAfter(response.headers.get('retry-after'), clock.now())
          : undefined;
      // A server's hold is bounded: years (or a far HTTP date) are cut to maxRetryAfterMs, visibly.
      const { maxRetryAfterMs } = policy.retry;
      const retryAt = asked === undefined ? undefined : clock.now() + Math.min(asked, maxRetryAfterMs);
      if (asked !== undefined && retryAt !== undefined) {
        holdDependency(dep, { status, until: retryAt, askedMs: asked, clamped: asked > maxRetryAfterMs });
      }
      const detail = problem.detail === undefined ? '' : ` ${problem.detail}`;
      throw fail({
        ...problem,
        kind: 'http',
        code: `http.${status}`,
        message: `${name} answered ${status} ${problem.title ?? statusTitle(status)}.${detail}`,
        retriable: policy.retry.statuses.has(status),
        ...(retryAt === undefined ? {} : { retryAt }),
      });
    }
  }

  function statusOf(dep: Dependency): DependencyStatus {
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
      slow: dep.slowCalls > 0,
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

  const client: BrownoutClient<Name> = {
    fetch: (name, input, init) => call(name, input, init),
    async json<T>(name: Name, input: RequestInfo | URL, init?: BrownoutRequestInit): Promise<T> {
      return readJson<T>(await call(name, input, init), name);
    },
    fetcher(name) {
      dependency(name);
      return (input, init) => call(name, input, init);
    },
    metrics: (name) => {
      const dep = dependency(name);
      return dep.metrics.snapshot(dep.bulkhead.inFlight, dep.bulkhead.queued);
    },
    status: (name) => statusOf(dependency(name)),
    breaker(name) {
      const dep = dependency(name);
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
          holdDependency(dep, {
            until: untilMs,
            askedMs: Math.max(0, untilMs - clock.now()),
            clamped: false,
          }),
        probeNow: () => breaker.probeNow(),
        get heldUntil() {
          return breaker.heldUntilMs;
        },
      };
    },
    policy: (name) => dependency(name).policy,
    clock,
    environment,
    on: (type, listener) => events.on(type, listener),
    dependencies: Object.freeze([...deps.keys()] as Name[]),
    dispose() {
      if (disposed) return;
      disposed = true;
      const reason = new BrownoutError({
        kind: 'aborted',
        code: 'aborted.disposed',
        title: 'Client disposed',
        message: 'The Brownout client was disposed while this call was in flight.',
      });
      disposal.abort(reason);
      for (const stop of [...inFlight]) stop(reason);
      inFlight.clear();
      stopEnvironment();
      for (const timer of returnTimers) clock.clearTimeout(timer);
      returnTimers.clear();
      for (const dep of deps.values()) {
        clock.clearTimeout(dep.holdTimer);
        clock.clearTimeout(dep.waitTimer);
        dep.breaker.dispose();
        dep.bulkhead.clear();
      }
      events.clear();
    },
  };
  return client;
}
