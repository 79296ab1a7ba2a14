export type { IndexedDbCacheOptions } from './createIndexedDbCache.js';
export { createIndexedDbCache } from './createIndexedDbCache.js';
export type { MemoryCache, MemoryCacheOptions } from './ResponseCache.js';
export { createMemoryCache } from './ResponseCache.js';
