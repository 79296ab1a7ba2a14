/**
 * Brownout: controlled degradation for web apps. The root entry holds the framework-free core, the
 * caches, and the degradation store; React bindings, the TanStack Query adapter and the MSW chaos kit live
 * in `brownout/react`, `brownout/query` and `brownout/msw`.
 */
export * from './cache/index.js';
export * from './core/index.js';
export type { Brownout, BrownoutOptions, QueuedWrite } from './createClient.js';
export { createClient, getQueuedWrite } from './createClient.js';
export * from './outbox/index.js';
export type { ShareHealthOptions } from './sharedHealth.js';
export { shareHealth } from './sharedHealth.js';
export * from './store/index.js';
