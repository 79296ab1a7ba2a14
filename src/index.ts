/**
 * Brownout: controlled degradation for web apps. The root entry holds the framework-free core, the
 * caches, and the degradation store; React bindings, the TanStack Query adapter and the MSW chaos kit live
 * in `brownout/react`, `brownout/query` and `brownout/msw`.
 */
export * from './cache/index.js';
export * from './core/index.js';
export type { Brownout, BrownoutOptions } from './createClient.js';
export { createClient } from './createClient.js';
export * from './store/index.js';
