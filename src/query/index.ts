export type { BindQueryClientOptions } from './bindQueryClient.js';
export { bindQueryClient } from './bindQueryClient.js';
export type { QueryAdapterClient, QueryRequest, QueuedMutation } from './createQueryFn.js';
export {
  createMutationFn,
  createQueryFn,
  DEPENDENCY,
  dependencyOf,
  isQueuedMutation,
  queuedMutationOptions,
} from './createQueryFn.js';
