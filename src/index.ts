/**
 * Brownout: controlled degradation for web apps. The root entry holds the framework-free core; React
 * bindings, the TanStack Query adapter and the MSW chaos kit live in `brownout/react`, `brownout/query`
 * and `brownout/msw`.
 */
export * from './core/index.js';
