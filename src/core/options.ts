import type { JitterStrategy } from './backoff.js';
import type { BreakerOptions, BreakerPolicy } from './CircuitBreaker.js';
import type { Clock } from './clock.js';
import { CLIENT_DEFAULTS, DEPENDENCY_DEFAULTS as DEP, RETRY_BUDGET_DEFAULTS } from './defaults.js';
import type { Environment } from './environment.js';
import type { ResponseCache } from './ResponseCache.js';
import type { RetryBudgetOptions } from './RetryBudget.js';
import type { Random } from './random.js';

/** Time limits for one call. */
export interface TimeoutOptions {
  /**
   * Longest wait for response headers on one attempt (the browser's connect plus time to first byte).
   * @default 3_000
   */
  headersMs?: number;
  /**
   * Longest stall between two body chunks while the body is read (fetch has no read timeout of its own:
   * whatwg/fetch#180).
   * @default 5_000
   */
  bodyIdleMs?: number;
  /**
   * The whole call: every attempt and every sleep between them.
   * @default 10_000
   */
  totalMs?: number;
  /**
   * After this long without response headers (or the next chunk of a body being read) a call counts as
   * slow: the store marks the dependency `slow` and the kit says "taking longer than usual" while the call
   * keeps waiting.
   * @default half of `headersMs`
   */
  slowMs?: number;
}

/** When and how a call is retried. */
export interface RetryOptions {
  /**
   * Attempts in all, the first try included: `1` turns retries off.
   * @default 3
   */
  maxAttempts?: number;
  /**
   * The first backoff ceiling, in ms; it doubles on each retry.
   * @default 100
   */
  baseMs?: number;
  /**
   * The largest backoff, in ms. A `Retry-After` is honoured beyond it, within the total deadline.
   * @default 5_000
   */
  capMs?: number;
  /**
   * How sleeps are drawn.
   * @default 'full'
   */
  jitter?: JitterStrategy;
  /**
   * Statuses that are transient and retried.
   * @default [408, 429, 500, 502, 503, 504]
   */
  statuses?: readonly number[];
  /**
   * Retry network errors (offline, DNS, refused, CORS: the platform tells them apart from nothing).
   * @default true
   */
  networkErrors?: boolean;
  /**
   * The longest hold a server's `Retry-After` can put on the dependency, in ms: a longer ask (a year, a
   * far HTTP date) is clamped to this, and the `hold` event says so.
   * @default 300_000
   */
  maxRetryAfterMs?: number;
}

/** How much the app needs a dependency. */
export type Criticality = 'critical' | 'core' | 'optional';
/** What a failed read falls back to: the last good value, hiding the part, or nothing. */
export type ReadFallback = 'cache' | 'partial' | 'none';
/** What a non-idempotent write does when the dependency is down: wait in the outbox, or fail. */
export type WriteFallback = 'queue' | 'reject';

/** Latency and reliability targets: missing one marks the dependency `degraded` (not down). */
export interface SloOptions {
  /** The p95 time to headers, in ms, over the breaker's window. */
  p95Ms?: number;
  /** The share of calls that succeed, 0–1, over the breaker's window. */
  successRate?: number;
}

/** One backend the app calls, and how calls to it behave. */
export interface DependencyOptions {
  /**
   * How much the app needs it: `critical` (cannot work without it), `core`, `optional` (an enhancement).
   * @default 'core'
   */
  criticality?: Criticality;
  /**
   * `closed` blocks when it is down (e.g. auth: no anonymous fallback); `open` degrades.
   * @default 'closed' for critical dependencies, else 'open'
   */
  onFailure?: 'open' | 'closed';
  /**
   * Fallback for failed reads (GET/HEAD).
   * @default 'cache'
   */
  reads?: ReadFallback;
  /**
   * Fallback for non-idempotent writes when it is down.
   * @default 'reject'
   */
  writes?: WriteFallback;
  /**
   * Writes carry the `ETag` of the last read of their URL as `If-Match` (unless the app set one), so a
   * queued write replayed after someone else changed the resource gets 412 and becomes a `conflict` the
   * user resolves ("keep mine" / "use theirs") instead of overwriting the newer version.
   * @default false
   */
  ifMatch?: boolean;
  /** When its circuit breaker opens; see {@link BreakerOptions}. */
  breaker?: BreakerOptions;
  /**
   * How old a cached value may be and still be shown, in ms.
   * @default 86_400_000 (24 h)
   */
  maxStaleMs?: number;
  /** Targets; see {@link SloOptions}. */
  slo?: SloOptions;
  /**
   * Calls in flight at once (a bulkhead); more wait in a queue.
   * @default Infinity
   */
  maxConcurrent?: number;
  /**
   * Calls that may wait for a slot when `maxConcurrent` are in flight; more fail at once with `kind: 'queue-full'`.
   * @default 100
   */
  maxQueue?: number;

  /** Prefix for relative URLs passed to this dependency (`/prices` → `${baseUrl}/prices`). */
  baseUrl?: string;
  /** Time limits; see {@link TimeoutOptions}. */
  timeouts?: TimeoutOptions;
  /** Retry policy; see {@link RetryOptions}. */
  retry?: RetryOptions;
  /**
   * Give every POST and PATCH an idempotency key (the same on every attempt), which makes them
   * retriable. Turn it on only when the server honours the key; otherwise POST/PATCH are never retried
   * unless the caller sends a key.
   * @default true when `writes: 'queue'`, else false
   */
  idempotencyKeys?: boolean;
  /**
   * A path (joined to `baseUrl`) or URL the client GETs by itself as the one probe when a wait ends — an
   * open breaker's period or a `Retry-After` hold — and nobody else (a shown query of a bound
   * `QueryClient`) claimed the probe. Without it and without a bound query, the next call of the app is
   * the probe.
   * @default undefined (no probe of its own)
   */
  probe?: string;
}

/** What `createClient` takes. */
export interface ClientOptions<Name extends string = string> {
  /** The app's dependencies by name. */
  dependencies: Record<Name, DependencyOptions>;
  /** The client-wide retry budget; see {@link RetryBudgetOptions}. */
  retryBudget?: RetryBudgetOptions;
  /** Time source; a virtual clock in tests. @default systemClock */
  clock?: Clock;
  /** Uniform random numbers in [0, 1) for jitter. @default Math.random (at call time) */
  random?: Random;
  /**
   * Where the last good value of each read is kept, for dependencies with `reads: 'cache'`.
   * @default none in the core client; in `createClient` from `brownout`, IndexedDB behind a memory LRU
   * (the last good values survive a reload), memory alone where IndexedDB is missing or fails
   */
  cache?: ResponseCache;
  /**
   * Whether the device is online and the page visible. Failures while offline do not count against a
   * dependency; probes wait for the page to be online and visible.
   * @default the browser's (`navigator.onLine`, `document.visibilityState`), always online outside one
   */
  environment?: Environment;
  /** The fetch to call. @default globalThis.fetch (looked up at call time) */
  fetch?: typeof fetch;
  /**
   * Origins besides the page's own that may receive `traceparent`, idempotency and deadline headers
   * (e.g. `https://api.example.com`). Others never get them.
   * @default []
   */
  allowedOrigins?: readonly string[];
  /**
   * Send W3C `traceparent` to allowed origins.
   * @default true
   */
  trace?: boolean;
  /**
   * The header carrying idempotency keys.
   * @default 'Idempotency-Key'
   */
  idempotencyHeader?: string;
  /**
   * When set, allowed origins get the call's remaining time in ms in this header (e.g.
   * `'X-Request-Timeout-Ms'`), so a server can stop work the client will no longer wait for.
   * @default undefined (off)
   */
  deadlineHeader?: string;
  /**
   * Bytes read at most from an error body to find problem details.
   * @default 65_536
   */
  maxErrorBodyBytes?: number;
}

/** A dependency's options after validation, with every default filled in. Internal. */
export interface DependencyPolicy {
  readonly name: string;
  readonly baseUrl: string | undefined;
  readonly timeouts: Readonly<Required<TimeoutOptions>>;
  readonly retry: Readonly<Required<Omit<RetryOptions, 'statuses'>>> & {
    readonly statuses: ReadonlySet<number>;
  };
  readonly idempotencyKeys: boolean;
  readonly criticality: Criticality;
  readonly onFailure: 'open' | 'closed';
  readonly reads: ReadFallback;
  readonly writes: WriteFallback;
  readonly ifMatch: boolean;
  readonly breaker: BreakerPolicy;
  readonly maxStaleMs: number;
  readonly slo: Readonly<SloOptions>;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  /** The path or URL the client GETs by itself as the probe when a wait ends. */
  readonly probe: string | undefined;
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const where = (dependency: string | undefined, option: string): string =>
  dependency === undefined
    ? `createClient: option "${option}"`
    : `createClient: dependency "${dependency}", option "${option}"`;

/**
 * Throws a RangeError unless `value` is a number in `[min, max]` (integers only when asked). Infinity is
 * allowed (it turns a limit off) unless `finite`: where it has no meaning, such as a wait that must end.
 */
export function checkNumber(
  value: unknown,
  dependency: string | undefined,
  option: string,
  { min = 0, max = Number.POSITIVE_INFINITY, integer = false, exclusiveMin = false, finite = false } = {},
): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${where(dependency, option)} must be a number, got ${describe(value)}.`);
  }
  if (finite && !Number.isFinite(value)) {
    throw new RangeError(`${where(dependency, option)} must be a finite number, got ${value}.`);
  }
  if (
    value < min ||
    (exclusiveMin && value === min) ||
    value > max ||
    (integer && !Number.isInteger(value) && value !== Infinity)
  ) {
    const range = `${exclusiveMin ? '>' : '≥'} ${min}${max === Number.POSITIVE_INFINITY ? '' : ` and ≤ ${max}`}`;
    throw new RangeError(
      `${where(dependency, option)} must be ${integer ? 'an integer ' : ''}${range}, got ${value}.`,
    );
  }
  return value;
}

const distance = (a: string, b: string): number => {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
};

/**
 * Throws a TypeError naming the first key of `value` that is not in `known`, with the nearest known key
 * ("did you mean"): a typo such as `timeout` or `maxAttemps` would otherwise be ignored without a word.
 */
export function checkKeys(
  value: object,
  dependency: string | undefined,
  prefix: string,
  known: readonly string[],
): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = known
      .map((k) => [k, distance(key.toLowerCase(), k.toLowerCase())] as const)
      .sort((x, y) => x[1] - y[1])[0];
    const hint = near && near[1] <= Math.max(2, key.length / 3) ? ` Did you mean "${prefix}${near[0]}"?` : '';
    throw new TypeError(`${where(dependency, prefix + key)} is not an option.${hint}`);
  }
}

/** Throws a TypeError unless `value` is a boolean (`'false'` or `0` would silently mean the opposite). */
export function checkBoolean(value: unknown, dependency: string | undefined, option: string): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${where(dependency, option)} must be true or false, got ${describe(value)}.`);
  }
  return value;
}

/** Throws a TypeError unless `value` is a valid HTTP header name. */
export function checkHeaderName(value: unknown, option: string): string {
  if (typeof value !== 'string' || !HEADER_NAME.test(value)) {
    throw new TypeError(`${where(undefined, option)} must be an HTTP header name, got ${describe(value)}.`);
  }
  return value;
}

const describe = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
};

const oneOf = <T extends string>(
  dependency: string,
  option: string,
  value: unknown,
  allowed: readonly T[],
): T => {
  if (!allowed.includes(value as T)) {
    throw new RangeError(
      `${where(dependency, option)} must be ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${describe(value)}.`,
    );
  }
  return value as T;
};

const normalizeBreaker = (name: string, b: BreakerOptions, totalMs: number): BreakerPolicy => {
  const BREAKER = DEP.breaker;
  // An open period that never ends is isolate() (which says so), and a probe that never times out sticks
  // half-open (resilience4j#903): both must be finite.
  const openMs = checkNumber(b.openMs ?? BREAKER.openMs, name, 'breaker.openMs', {
    exclusiveMin: true,
    finite: true,
  });
  const maxOpenMs = checkNumber(b.maxOpenMs ?? openMs, name, 'breaker.maxOpenMs');
  if (maxOpenMs < openMs) {
    throw new RangeError(
      `${where(name, 'breaker.maxOpenMs')} must be ≥ breaker.openMs (${openMs}), got ${maxOpenMs}.`,
    );
  }
  return Object.freeze({
    consecutiveFailures: checkNumber(
      b.consecutiveFailures ?? BREAKER.consecutiveFailures,
      name,
      'breaker.consecutiveFailures',
      { min: 1, integer: true },
    ),
    // A share in (0, 1]; Infinity turns the rule off, as for every breaker rule.
    failureRate:
      b.failureRate === Number.POSITIVE_INFINITY
        ? b.failureRate
        : checkNumber(b.failureRate ?? BREAKER.failureRate, name, 'breaker.failureRate', {
            exclusiveMin: true,
            max: 1,
          }),
    windowMs: checkNumber(b.windowMs ?? BREAKER.windowMs, name, 'breaker.windowMs', {
      min: 100,
      max: 86_400_000,
    }),
    minimumCalls: checkNumber(b.minimumCalls ?? BREAKER.minimumCalls, name, 'breaker.minimumCalls', {
      min: 1,
      integer: true,
    }),
    openMs,
    maxOpenMs,
    halfOpenTimeoutMs: checkNumber(
      b.halfOpenTimeoutMs ?? Math.min(totalMs, BREAKER.halfOpenTimeoutMs),
      name,
      'breaker.halfOpenTimeoutMs',
      { exclusiveMin: true, finite: true },
    ),
  });
};

const normalizeSlo = (name: string, slo: SloOptions): SloOptions => {
  const out: SloOptions = {};
  if (slo.p95Ms !== undefined) out.p95Ms = checkNumber(slo.p95Ms, name, 'slo.p95Ms', { exclusiveMin: true });
  if (slo.successRate !== undefined)
    out.successRate = checkNumber(slo.successRate, name, 'slo.successRate', { max: 1 });
  return out;
};

const checkProbe = (name: string, probe: unknown): string | undefined => {
  if (probe === undefined) return undefined;
  if (typeof probe !== 'string' || probe === '') {
    throw new TypeError(`${where(name, 'probe')} must be a path or URL to GET, got ${describe(probe)}.`);
  }
  return probe;
};

/** Validates one dependency's options and fills the defaults. */
export function normalizeDependency(name: string, options: DependencyOptions): DependencyPolicy {
  if (!options || typeof options !== 'object') {
    throw new TypeError(
      `createClient: dependency "${name}" must be an options object, got ${describe(options)}.`,
    );
  }
  const criticality = oneOf(name, 'criticality', options.criticality ?? DEP.criticality, [
    'critical',
    'core',
    'optional',
  ]);
  const t = options.timeouts ?? {};
  const r = options.retry ?? {};
  const { retry: RETRY, timeouts: TIMEOUTS } = DEP;
  const timeouts = {
    headersMs: checkNumber(t.headersMs ?? TIMEOUTS.headersMs, name, 'timeouts.headersMs', {
      exclusiveMin: true,
    }),
    bodyIdleMs: checkNumber(t.bodyIdleMs ?? TIMEOUTS.bodyIdleMs, name, 'timeouts.bodyIdleMs', {
      exclusiveMin: true,
    }),
    totalMs: checkNumber(t.totalMs ?? TIMEOUTS.totalMs, name, 'timeouts.totalMs', { exclusiveMin: true }),
    slowMs: 0,
  };
  timeouts.slowMs = checkNumber(
    t.slowMs ?? timeouts.headersMs * TIMEOUTS.slowShareOfHeadersMs,
    name,
    'timeouts.slowMs',
    { exclusiveMin: true },
  );
  const jitter = r.jitter ?? RETRY.jitter;
  if (jitter !== 'full' && jitter !== 'equal' && jitter !== 'decorrelated') {
    throw new RangeError(
      `${where(name, 'retry.jitter')} must be 'full', 'equal' or 'decorrelated', got ${describe(jitter)}.`,
    );
  }
  const statuses = r.statuses ?? RETRY.statuses;
  if (!Array.isArray(statuses))
    throw new TypeError(`${where(name, 'retry.statuses')} must be an array of statuses.`);
  for (const s of statuses) checkNumber(s, name, 'retry.statuses', { min: 100, max: 599, integer: true });
  // An infinite first backoff is no backoff at all: every retry would wait forever.
  const baseMs = checkNumber(r.baseMs ?? RETRY.baseMs, name, 'retry.baseMs', { finite: true });
  const capMs = checkNumber(r.capMs ?? RETRY.capMs, name, 'retry.capMs');
  if (capMs < baseMs)
    throw new RangeError(`${where(name, 'retry.capMs')} must be ≥ retry.baseMs (${baseMs}), got ${capMs}.`);
  let baseUrl: string | undefined;
  if (options.baseUrl !== undefined) {
    if (typeof options.baseUrl !== 'string' || !URL.canParse(options.baseUrl, 'http://relative.invalid')) {
      throw new TypeError(`${where(name, 'baseUrl')} must be a URL, got ${describe(options.baseUrl)}.`);
    }
    baseUrl = options.baseUrl.replace(/\/+$/, '');
  }
  const policy: DependencyPolicy = Object.freeze({
    name,
    baseUrl,
    timeouts: Object.freeze(timeouts),
    retry: Object.freeze({
      maxAttempts: checkNumber(r.maxAttempts ?? RETRY.maxAttempts, name, 'retry.maxAttempts', {
        min: 1,
        integer: true,
      }),
      baseMs,
      capMs,
      jitter,
      statuses: new Set(statuses),
      networkErrors: checkBoolean(r.networkErrors ?? RETRY.networkErrors, name, 'retry.networkErrors'),
      maxRetryAfterMs: checkNumber(r.maxRetryAfterMs ?? RETRY.maxRetryAfterMs, name, 'retry.maxRetryAfterMs'),
    }),
    // A queued write is replayed later: only a key makes that safe, so queue dependencies get keys.
    idempotencyKeys: checkBoolean(
      options.idempotencyKeys ?? options.writes === 'queue',
      name,
      'idempotencyKeys',
    ),
    criticality,
    onFailure: oneOf(
      name,
      'onFailure',
      options.onFailure ?? DEP.onFailure[criticality === 'critical' ? 'critical' : 'otherwise'],
      ['open', 'closed'],
    ),
    reads: oneOf(name, 'reads', options.reads ?? DEP.reads, ['cache', 'partial', 'none']),
    writes: oneOf(name, 'writes', options.writes ?? DEP.writes, ['queue', 'reject']),
    ifMatch: checkBoolean(options.ifMatch ?? DEP.ifMatch, name, 'ifMatch'),
    breaker: normalizeBreaker(name, options.breaker ?? {}, timeouts.totalMs),
    maxStaleMs: checkNumber(options.maxStaleMs ?? DEP.maxStaleMs, name, 'maxStaleMs'),
    slo: Object.freeze(normalizeSlo(name, options.slo ?? {})),
    maxConcurrent: checkNumber(options.maxConcurrent ?? DEP.maxConcurrent, name, 'maxConcurrent', {
      min: 1,
      integer: true,
    }),
    maxQueue: checkNumber(options.maxQueue ?? DEP.maxQueue, name, 'maxQueue', { integer: true }),
    probe: checkProbe(name, options.probe),
  });
  // Unknown keys, against the policy just built (one list of names, not a second copy of them).
  checkKeys(
    options,
    name,
    '',
    Object.keys(policy).filter((k) => k !== 'name'),
  );
  for (const key of ['timeouts', 'retry', 'breaker', 'slo'] as const) {
    const nested: unknown = options[key];
    if (nested === undefined) continue;
    if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) {
      throw new TypeError(`${where(name, key)} must be an options object, got ${describe(nested)}.`);
    }
    checkKeys(nested, name, `${key}.`, key === 'slo' ? ['p95Ms', 'successRate'] : Object.keys(policy[key]));
  }
  return policy;
}

/** The options `createClient` reads, for "did you mean" on a misspelled one. */
const CLIENT_KEYS: readonly (keyof ClientOptions)[] = [
  'dependencies',
  'retryBudget',
  'clock',
  'random',
  'cache',
  'environment',
  'fetch',
  'allowedOrigins',
  'trace',
  'idempotencyHeader',
  'deadlineHeader',
  'maxErrorBodyBytes',
];

/** Refuses unknown client options (`retryBudjet`, `allowedOrigin`…), which would otherwise do nothing. */
export function checkClientKeys(options: object, more: readonly string[] = []): void {
  checkKeys(options, undefined, '', [...CLIENT_KEYS, ...more]);
}

/** Validates the client-wide retry budget. */
export function normalizeBudget(options: RetryBudgetOptions | undefined): Required<RetryBudgetOptions> {
  const b = options ?? {};
  if (b === null || typeof b !== 'object' || Array.isArray(b)) {
    throw new TypeError(`${where(undefined, 'retryBudget')} must be an options object, got ${describe(b)}.`);
  }
  checkKeys(b, undefined, 'retryBudget.', ['ratio', 'minPerSecond', 'windowMs']);
  return {
    ratio: checkNumber(b.ratio ?? RETRY_BUDGET_DEFAULTS.ratio, undefined, 'retryBudget.ratio', { max: 1 }),
    minPerSecond: checkNumber(
      b.minPerSecond ?? RETRY_BUDGET_DEFAULTS.minPerSecond,
      undefined,
      'retryBudget.minPerSecond',
    ),
    windowMs: checkNumber(b.windowMs ?? RETRY_BUDGET_DEFAULTS.windowMs, undefined, 'retryBudget.windowMs', {
      min: 100,
      max: 3_600_000,
    }),
  };
}

/** Validates `allowedOrigins` into a set of serialized origins. */
export function normalizeOrigins(origins: readonly string[] | undefined): ReadonlySet<string> {
  const set = new Set<string>();
  // A lone string would be read letter by letter.
  if (origins !== undefined && !Array.isArray(origins)) {
    throw new TypeError(
      `${where(undefined, 'allowedOrigins')} must be an array of origins, got ${describe(origins)}.`,
    );
  }
  for (const o of origins ?? CLIENT_DEFAULTS.allowedOrigins) {
    if (typeof o !== 'string' || !URL.canParse(o)) {
      throw new TypeError(
        `${where(undefined, 'allowedOrigins')} must list absolute origins, got ${describe(o)}.`,
      );
    }
    set.add(new URL(o).origin);
  }
  return set;
}

/** `url` joined to a dependency's `baseUrl`, unless it is absolute (has a scheme). */
export const withBaseUrl = (baseUrl: string | undefined, url: string): string =>
  baseUrl && !/^[a-z][a-z\d+\-.]*:/i.test(url) ? `${baseUrl}${url.startsWith('/') ? '' : '/'}${url}` : url;
