export type { BrownoutAnnouncerProps } from './BrownoutAnnouncer.js';
export { BrownoutAnnouncer } from './BrownoutAnnouncer.js';
export type { BrownoutUIProviderProps } from './BrownoutUIProvider.js';
export { BrownoutUIProvider } from './BrownoutUIProvider.js';
export type { DegradableProps } from './Degradable.js';
export { Degradable } from './Degradable.js';
export type { DegradationBannerProps } from './DegradationBanner.js';
export { DegradationBanner } from './DegradationBanner.js';
export type { DependencyHealthPanelProps } from './DependencyHealthPanel.js';
export { DependencyHealthPanel } from './DependencyHealthPanel.js';
export type { MaintenanceScreenProps } from './MaintenanceScreen.js';
export { MaintenanceScreen } from './MaintenanceScreen.js';
export type {
  BrownoutMessages,
  DeepPartialMessages,
  DegradedLevel,
  PluralMessage,
} from './messages.js';
export { defaultMessages } from './messages.js';
export type { ProblemNoticeProps } from './ProblemNotice.js';
export { ProblemNotice } from './ProblemNotice.js';
export type { QueuedWritesIndicatorProps } from './QueuedWritesIndicator.js';
export { QueuedWritesIndicator } from './QueuedWritesIndicator.js';
export type { RelativeTimeProps } from './RelativeTime.js';
export { describeTime, RelativeTime } from './RelativeTime.js';
export type { RetryCountdownProps } from './RetryCountdown.js';
export { RetryCountdown } from './RetryCountdown.js';
export type { FreshnessView, StaleDataNoticeProps } from './StaleDataNotice.js';
export { StaleDataNotice } from './StaleDataNotice.js';
export type { Situation, SituationGroup, Summary } from './situations.js';
export { SITUATION_ORDER, summarize } from './situations.js';
export type { GuardedControlProps, ReadOnlyGuardProps, WriteGuardProps } from './WriteGuard.js';
export { ReadOnlyGuard, WriteGuard } from './WriteGuard.js';
