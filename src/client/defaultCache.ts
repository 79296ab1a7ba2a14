import { createIndexedDbCache, createMemoryCache } from '../cache/index.js';
import type { ResponseCache } from '../core/index.js';

/**
 * The default read cache: a memory LRU in front of IndexedDB where there is one, so the last good values
 * survive a reload (the prices stay); memory alone where IndexedDB is missing or fails.
 */
export function defaultCache(): ResponseCache {
  const memory = createMemoryCache();
  if (typeof indexedDB === 'undefined') return memory;
  let broken = false;
  const disk = createIndexedDbCache({
    onError: () => {
      broken = true;
    },
  });
  return {
    get: async (key) => {
      const hit = memory.get(key);
      if (hit || broken) return hit;
      const stored = await disk.get(key);
      if (stored) memory.set(stored);
      return stored;
    },
    set: async (entry) => {
      memory.set(entry);
      if (!broken) await disk.set(entry);
    },
    delete: async (key) => {
      memory.delete(key);
      if (!broken) await disk.delete(key);
    },
    clear: async () => {
      memory.clear();
      if (!broken) await disk.clear();
    },
  };
}
