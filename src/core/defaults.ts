/** Freezes `value` and every object and array in it. */
const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
};

// One constant per part, so that a bundle takes only the parts its code reads (the core client needs no
// outbox or cache defaults); `DEFAULTS` below is the one object everyone sees, made of these very objects.

/** @internal `DEFAULTS.client`. */
export const CLIENT_DEFAULTS = /* @__PURE__ */ deepFreeze({
  trace: true,
  idempotencyHeader: 'Idempotency-Key',
  /** Bytes read at most from an error body (64 KiB). */
  maxErrorBodyBytes: 65_536,
  allowedOrigins: [],
} as const);

/** @internal `DEFAULTS.dependency`. */
export const DEPENDENCY_DEFAULTS = /* @__PURE__ */ deepFreeze({
  criticality: 'core',
  /** `onFailure` by criticality: `critical` dependencies fail closed, the others open. */
  onFailure: { critical: 'closed', otherwise: 'open' },
  reads: 'cache',
  writes: 'reject',
  ifMatch: false,
  /** 24 h. */
  maxStaleMs: 86_400_000,
  maxConcurrent: Infinity,
  maxQueue: 100,
  timeouts: {
    headersMs: 3_000,
    bodyIdleMs: 5_000,
    totalMs: 10_000,
    /** `slowMs` is this share of `headersMs` (half). */
    slowShareOfHeadersMs: 0.5,
  },
  retry: {
    maxAttempts: 3,
    baseMs: 100,
    capMs: 5_000,
    jitter: 'full',
    statuses: [408, 429, 500, 502, 503, 504],
    networkErrors: true,
    /** 5 min. */
    maxRetryAfterMs: 300_000,
  },
  /** `maxOpenMs` defaults to `openMs` (no growth). */
  breaker: {
    consecutiveFailures: 5,
    failureRate: 0.5,
    windowMs: 60_000,
    minimumCalls: 10,
    openMs: 30_000,
    /** At most: the default is `min(timeouts.totalMs, halfOpenTimeoutMs)`. */
    halfOpenTimeoutMs: 10_000,
  },
} as const);

/** @internal `DEFAULTS.retryBudget`. */
export const RETRY_BUDGET_DEFAULTS = /* @__PURE__ */ deepFreeze({
  ratio: 0.1,
  minPerSecond: 1,
  windowMs: 10_000,
} as const);

/**
 * Every default of Brownout's options, in one deeply frozen object: option validation, the retry budget, the
 * circuit breaker, the outbox and the caches read their defaults from it, and a test keeps the README's tables
 * and the `@default` tags of the option interfaces equal to it. Its paths follow the options.
 * @example
 * const totalMs = 2 * DEFAULTS.dependency.timeouts.totalMs; // a slow report endpoint: twice the usual deadline
 */
export const DEFAULTS = /* @__PURE__ */ deepFreeze({
  /** `createClient`'s client-wide options (`ClientOptions`). */
  client: CLIENT_DEFAULTS,
  /** Each dependency's options (`DependencyOptions`, with `timeouts`, `retry` and `breaker`). */
  dependency: DEPENDENCY_DEFAULTS,
  /** The client's retry budget (`RetryBudgetOptions`): 10 % of calls over 10 s, plus 1 retry/s. */
  retryBudget: RETRY_BUDGET_DEFAULTS,
  /** The outbox of queued writes (`OutboxOptions`). */
  outbox: {
    storage: 'indexeddb',
    databaseName: 'brownout-outbox',
    backoff: { baseMs: 1_000, capMs: 60_000 },
    budget: { ratio: 0.5, minPerSecond: 0.2, windowMs: 60_000 },
    leaseMs: 30_000,
    /** How long replay waits when the outbox's budget is spent (not an option). */
    budgetWaitMs: 5_000,
  },
  /** The read caches: `createMemoryCache` (200 entries, 5 MiB of bodies) and `createIndexedDbCache`. */
  cache: {
    memory: { maxEntries: 200, maxBytes: 5_242_880 },
    indexedDb: { databaseName: 'brownout-cache', storeName: 'responses' },
  },
} as const);
