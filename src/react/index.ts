export type { BrownoutProviderProps } from './BrownoutProvider.js';
export { BrownoutProvider, useBrownoutClient } from './BrownoutProvider.js';
export { useDependencyMetrics } from './useDependencyMetrics.js';
