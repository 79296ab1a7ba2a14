export type { IndexedDbCacheOptions } from './createIndexedDbCache.js';
export { createIndexedDbCache } from './createIndexedDbCache.js';
export type { CachedResponse, MemoryCacheOptions, ResponseCache } from './ResponseCache.js';
export { createMemoryCache } from './ResponseCache.js';
