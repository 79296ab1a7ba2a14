export type { QueryRequest } from './createQueryFn.js';
export { createMutationFn, createQueryFn } from './createQueryFn.js';
