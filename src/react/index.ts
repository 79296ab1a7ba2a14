export type { BrownoutProviderProps } from './BrownoutProvider.js';
export { BrownoutProvider, useBrownoutClient } from './BrownoutProvider.js';
export type { CanWrite, StoreClient } from './hooks.js';
export {
  useBrownoutSelector,
  useCanWrite,
  useDegradation,
  useDependency,
  useFreshness,
  useOutbox,
  useQueuedWrite,
  useRetryCountdown,
  useStoreClient,
} from './hooks.js';
export { useDependencyMetrics } from './useDependencyMetrics.js';
