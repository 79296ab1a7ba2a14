export type {
  AnyBrownoutError,
  BrownoutErrorInit,
  BrownoutErrorOf,
  ErrorKind,
  ProblemDetails,
} from './BrownoutError.js';
export { BrownoutError, isBrownoutError, statusTitle } from './BrownoutError.js';
export type { Backoff, BackoffInput, JitterStrategy } from './backoff.js';
export { backoffFor, decorrelatedJitter, equalJitter, fullJitter } from './backoff.js';
export type {
  BreakerOptions,
  BreakerState,
  BreakerTransition,
  BreakReason,
} from './CircuitBreaker.js';
export type { Clock, TimerHandle, VirtualClock } from './clock.js';
export { createVirtualClock, systemClock } from './clock.js';
export { createCoreClient } from './createCoreClient.js';
/** Every default of Brownout's options in one deeply frozen object (the README's tables are its view). */
export { DEFAULTS } from './defaults.js';
export type { Environment, ManualEnvironment } from './environment.js';
export { browserEnvironment, createManualEnvironment } from './environment.js';
export type { ErrorCode } from './errors.js';
export { Emitter } from './events.js';
export type { FailureClass, WriteAnswer } from './failure.js';
export { answerOf, classify } from './failure.js';
export { createIdempotencyKey } from './ids.js';
export { LatencyHistogram } from './LatencyHistogram.js';
export type { DependencyMetrics, ErrorClass } from './metrics.js';
export type {
  ClientOptions,
  Criticality,
  DependencyOptions,
  DependencyPolicy,
  ReadFallback,
  RetryOptions,
  SloOptions,
  TimeoutOptions,
  WriteFallback,
} from './options.js';
export { withBaseUrl } from './options.js';
export type { ParsedProblem } from './problem.js';
export { parseProblem, readBounded, safeJsonParse } from './problem.js';
export type { CachedResponse, Freshness, ResponseCache } from './ResponseCache.js';
export { getFreshness, SOURCE_HEADER } from './ResponseCache.js';
export type { RetryBudgetOptions } from './RetryBudget.js';
export { RetryBudget } from './RetryBudget.js';
export type { Random } from './random.js';
export { createSeededRandom, systemRandom } from './random.js';
export { readJson } from './readers.js';
export { parseHttpDate, parseRetryAfter } from './retryAfter.js';
export { createTraceparent, traceIdOf } from './trace.js';
export type {
  AttemptEvent,
  BreakerControl,
  BreakerEvent,
  BrownoutClient,
  BrownoutFetch,
  BrownoutRequestInit,
  ClientEvents,
  ConnectivityEvent,
  DegradedReason,
  DependencyStatus,
  FallbackEvent,
  FreshEvent,
  GiveUpEvent,
  HoldEndEvent,
  HoldEvent,
  ProbeDueEvent,
  RetryEvent,
  SlowEvent,
  SuccessEvent,
} from './types.js';
