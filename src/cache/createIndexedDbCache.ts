import { clear, createStore, del, get, set, type UseStore } from 'idb-keyval';
import { type CachedResponse, DEFAULTS, type ResponseCache } from '../core/index.js';

/** Options of {@link createIndexedDbCache}. */
export interface IndexedDbCacheOptions {
  /** @default 'brownout-cache' */
  databaseName?: string;
  /** @default 'responses' */
  storeName?: string;
  /** Told when IndexedDB fails (private mode, quota): reads then miss and writes are skipped. */
  onError?: (error: unknown) => void;
}

/**
 * A cache in IndexedDB, so last good values survive a reload. Opens the database on first use, never at
 * import (server rendering is safe); where IndexedDB is missing or fails, it behaves as an empty cache and
 * reports through `onError` — a read fallback is a convenience, never a reason to fail a call.
 */
export function createIndexedDbCache(options: IndexedDbCacheOptions = {}): ResponseCache {
  let store: UseStore | undefined;
  let broken = false;
  const db = (): UseStore | undefined => {
    if (broken) return undefined;
    if (!store) {
      if (typeof indexedDB === 'undefined') {
        broken = true;
        options.onError?.(new Error('IndexedDB is not available here.'));
        return undefined;
      }
      store = createStore(
        options.databaseName ?? DEFAULTS.cache.indexedDb.databaseName,
        options.storeName ?? DEFAULTS.cache.indexedDb.storeName,
      );
    }
    return store;
  };
  const guard = async <T>(work: (s: UseStore) => Promise<T>): Promise<T | undefined> => {
    const s = db();
    if (!s) return undefined;
    try {
      return await work(s);
    } catch (error) {
      options.onError?.(error);
      return undefined;
    }
  };
  return {
    get: (key) => guard((s) => get<CachedResponse>(key, s)),
    set: async (entry) => {
      await guard((s) => set(entry.key, entry, s));
    },
    delete: async (key) => {
      await guard((s) => del(key, s));
    },
    clear: async () => {
      await guard((s) => clear(s));
    },
  };
}
