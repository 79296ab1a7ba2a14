import type { JitterStrategy } from './backoff.js';
import type { Clock } from './clock.js';
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
}

/** One backend the app calls, and how calls to it behave. */
export interface DependencyOptions {
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
   * @default false
   */
  idempotencyKeys?: boolean;
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
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const where = (dependency: string | undefined, option: string): string =>
  dependency === undefined
    ? `createClient: option "${option}"`
    : `createClient: dependency "${dependency}", option "${option}"`;

/** Throws a RangeError unless `value` is a number in `[min, max]` (integers only when asked). */
export function checkNumber(
  value: unknown,
  dependency: string | undefined,
  option: string,
  { min = 0, max = Number.POSITIVE_INFINITY, integer = false, exclusiveMin = false } = {},
): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${where(dependency, option)} must be a number, got ${describe(value)}.`);
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

const DEFAULT_STATUSES = [408, 429, 500, 502, 503, 504];

/** Validates one dependency's options and fills the defaults. */
export function normalizeDependency(name: string, options: DependencyOptions): DependencyPolicy {
  if (!options || typeof options !== 'object') {
    throw new TypeError(
      `createClient: dependency "${name}" must be an options object, got ${describe(options)}.`,
    );
  }
  const t = options.timeouts ?? {};
  const r = options.retry ?? {};
  const timeouts = {
    headersMs: checkNumber(t.headersMs ?? 3_000, name, 'timeouts.headersMs', { exclusiveMin: true }),
    bodyIdleMs: checkNumber(t.bodyIdleMs ?? 5_000, name, 'timeouts.bodyIdleMs', { exclusiveMin: true }),
    totalMs: checkNumber(t.totalMs ?? 10_000, name, 'timeouts.totalMs', { exclusiveMin: true }),
  };
  const jitter = r.jitter ?? 'full';
  if (jitter !== 'full' && jitter !== 'equal' && jitter !== 'decorrelated') {
    throw new RangeError(
      `${where(name, 'retry.jitter')} must be 'full', 'equal' or 'decorrelated', got ${describe(jitter)}.`,
    );
  }
  const statuses = r.statuses ?? DEFAULT_STATUSES;
  if (!Array.isArray(statuses))
    throw new TypeError(`${where(name, 'retry.statuses')} must be an array of statuses.`);
  for (const s of statuses) checkNumber(s, name, 'retry.statuses', { min: 100, max: 599, integer: true });
  const baseMs = checkNumber(r.baseMs ?? 100, name, 'retry.baseMs');
  const capMs = checkNumber(r.capMs ?? 5_000, name, 'retry.capMs');
  if (capMs < baseMs)
    throw new RangeError(`${where(name, 'retry.capMs')} must be ≥ retry.baseMs (${baseMs}), got ${capMs}.`);
  let baseUrl: string | undefined;
  if (options.baseUrl !== undefined) {
    if (typeof options.baseUrl !== 'string' || !URL.canParse(options.baseUrl, 'http://relative.invalid')) {
      throw new TypeError(`${where(name, 'baseUrl')} must be a URL, got ${describe(options.baseUrl)}.`);
    }
    baseUrl = options.baseUrl.replace(/\/+$/, '');
  }
  return Object.freeze({
    name,
    baseUrl,
    timeouts: Object.freeze(timeouts),
    retry: Object.freeze({
      maxAttempts: checkNumber(r.maxAttempts ?? 3, name, 'retry.maxAttempts', { min: 1, integer: true }),
      baseMs,
      capMs,
      jitter,
      statuses: new Set(statuses),
      networkErrors: r.networkErrors ?? true,
    }),
    idempotencyKeys: options.idempotencyKeys ?? false,
  });
}

/** Validates the client-wide retry budget. */
export function normalizeBudget(options: RetryBudgetOptions | undefined): Required<RetryBudgetOptions> {
  const b = options ?? {};
  return {
    ratio: checkNumber(b.ratio ?? 0.1, undefined, 'retryBudget.ratio', { max: 1 }),
    minPerSecond: checkNumber(b.minPerSecond ?? 1, undefined, 'retryBudget.minPerSecond'),
    windowMs: checkNumber(b.windowMs ?? 10_000, undefined, 'retryBudget.windowMs', {
      min: 100,
      max: 3_600_000,
    }),
  };
}

/** Validates `allowedOrigins` into a set of serialized origins. */
export function normalizeOrigins(origins: readonly string[] | undefined): ReadonlySet<string> {
  const set = new Set<string>();
  for (const o of origins ?? []) {
    if (typeof o !== 'string' || !URL.canParse(o)) {
      throw new TypeError(
        `${where(undefined, 'allowedOrigins')} must list absolute origins, got ${describe(o)}.`,
      );
    }
    set.add(new URL(o).origin);
  }
  return set;
}
