export type {
  DegradationState,
  DegradationStore,
  DegradationStoreOptions,
  DependencyFreshness,
  DependencyState,
  DependencyTransition,
  FreshnessState,
} from './createDegradationStore.js';
export {
  createDegradationStore,
  isPastMaxStale,
  recordFreshness,
  selectDependency,
  selectFreshness,
  selectLevel,
  selectLevelOf,
  shallowEqual,
  TRANSITIONS_KEPT,
  watch,
} from './createDegradationStore.js';
export type { DegradationLevel, Health, LevelPolicy } from './levels.js';
export { dependencyLevel, LEVEL_ORDER, overallLevel, worstLevel } from './levels.js';
