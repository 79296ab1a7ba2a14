/**
 * `brownout/react`: the React bindings and the UI kit's components. Styles: `brownout/styles.css`.
 * A chosen list, name by name (the boundary check refuses `export *` in an entry).
 */
// Bindings: the provider and the hooks
export type {
  BrownoutProviderProps,
  CanWrite,
  StoreClient,
} from '../react/index.js';
export {
  BrownoutProvider,
  useBrownoutClient,
  useBrownoutSelector,
  useCanWrite,
  useDegradation,
  useDependency,
  useDependencyMetrics,
  useFreshness,
  useOutbox,
  useQueuedWrite,
  useRetryCountdown,
  useStoreClient,
} from '../react/index.js';
// The UI kit
export type {
  BrownoutAnnouncerProps,
  BrownoutMessages,
  BrownoutUIProviderProps,
  DeepPartialMessages,
  DegradableProps,
  DegradationBannerProps,
  DegradedLevel,
  DependencyHealthPanelProps,
  FreshnessView,
  GuardedControlProps,
  MaintenanceScreenProps,
  PluralMessage,
  ProblemNoticeProps,
  QueuedWritesIndicatorProps,
  ReadOnlyGuardProps,
  RelativeTimeProps,
  RetryCountdownProps,
  Situation,
  SituationGroup,
  StaleDataNoticeProps,
  Summary,
  WriteGuardProps,
} from '../ui/index.js';
export {
  BrownoutAnnouncer,
  BrownoutUIProvider,
  Degradable,
  DegradationBanner,
  DependencyHealthPanel,
  defaultMessages,
  describeTime,
  MaintenanceScreen,
  ProblemNotice,
  QueuedWritesIndicator,
  ReadOnlyGuard,
  RelativeTime,
  RetryCountdown,
  SITUATION_ORDER,
  StaleDataNotice,
  summarize,
  WriteGuard,
} from '../ui/index.js';
