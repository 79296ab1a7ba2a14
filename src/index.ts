/**
 * Brownout: controlled degradation for web apps. The root entry is the client (`createClient`), its store
 * and caches, and what tests and operators need; React bindings and the UI kit, the TanStack Query adapter
 * and the MSW chaos kit live in `brownout/react`, `brownout/query` and `brownout/msw`.
 *
 * This list is chosen, name by name: the layers' own barrels hold more, for the other layers only (the
 * boundary check refuses `export *` here).
 */

// The client
export type { IndexedDbCacheOptions, MemoryCache, MemoryCacheOptions } from './cache/index.js';
export { createIndexedDbCache, createMemoryCache } from './cache/index.js';
export type { Brownout, BrownoutOptions, QueuedWrite, ShareHealthOptions } from './client/index.js';
export { createClient, getQueuedWrite, shareHealth } from './client/index.js';
// The core client, its options, events and errors
export type {
  AnyBrownoutError,
  AttemptEvent,
  BreakerControl,
  BreakerEvent,
  BreakerOptions,
  BreakerState,
  BreakerTransition,
  BreakReason,
  BrownoutClient,
  BrownoutErrorInit,
  BrownoutErrorOf,
  BrownoutFetch,
  BrownoutRequestInit,
  CachedResponse,
  ClientEvents,
  ClientOptions,
  Clock,
  ConnectivityEvent,
  Criticality,
  DegradedReason,
  DependencyMetrics,
  DependencyOptions,
  DependencyPolicy,
  DependencyStatus,
  Environment,
  ErrorClass,
  ErrorCode,
  ErrorKind,
  FallbackEvent,
  FreshEvent,
  Freshness,
  GiveUpEvent,
  HoldEndEvent,
  HoldEvent,
  JitterStrategy,
  ManualEnvironment,
  ProbeDueEvent,
  ProblemDetails,
  Random,
  ReadFallback,
  ResponseCache,
  RetryBudgetOptions,
  RetryEvent,
  RetryOptions,
  SloOptions,
  SlowEvent,
  SuccessEvent,
  TimeoutOptions,
  TimerHandle,
  VirtualClock,
  WriteFallback,
} from './core/index.js';
export {
  BrownoutError,
  browserEnvironment,
  createCoreClient,
  createManualEnvironment,
  createSeededRandom,
  createVirtualClock,
  DEFAULTS,
  getFreshness,
  isBrownoutError,
  parseRetryAfter,
  readJson,
  SOURCE_HEADER,
  statusTitle,
  systemClock,
} from './core/index.js';
// Queued writes
export type {
  Outbox,
  OutboxEntry,
  OutboxEvents,
  OutboxOptions,
  OutboxStatus,
  OutboxStorage,
  OutboxSummary,
  TabLocks,
  WriteState,
} from './outbox/index.js';
export { createIndexedDbOutboxStorage, createMemoryOutboxStorage } from './outbox/index.js';
// The store the UI reads
export type {
  DegradationLevel,
  DegradationState,
  DegradationStore,
  DegradationStoreOptions,
  DependencyFreshness,
  DependencyState,
  DependencyTransition,
  FreshnessState,
  Health,
  LevelPolicy,
} from './store/index.js';
export {
  createDegradationStore,
  dependencyLevel,
  LEVEL_ORDER,
  overallLevel,
  selectDependency,
  selectFreshness,
  selectLevel,
  selectLevelOf,
} from './store/index.js';
