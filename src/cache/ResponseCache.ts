import { type CachedResponse, DEFAULTS, type ResponseCache } from '../core/index.js';

/** Options of {@link createMemoryCache}. */
export interface MemoryCacheOptions {
  /**
   * Entries kept; the least recently used goes first.
   * @default 200
   */
  maxEntries?: number;
  /**
   * Bytes of bodies kept in all; the least recently used go first.
   * @default 5_242_880 (5 MiB)
   */
  maxBytes?: number;
}

/** The memory cache: synchronous, with its size. */
export interface MemoryCache extends ResponseCache {
  get(key: string): CachedResponse | undefined;
  set(entry: CachedResponse): void;
  delete(key: string): void;
  clear(): void;
  /** Entries kept. */
  readonly size: number;
}

/** An in-memory LRU cache bounded by entries and bytes. */
export function createMemoryCache(options: MemoryCacheOptions = {}): MemoryCache {
  const maxEntries = options.maxEntries ?? DEFAULTS.cache.memory.maxEntries;
  const maxBytes = options.maxBytes ?? DEFAULTS.cache.memory.maxBytes;
  if (!(maxEntries >= 1) || !(maxBytes >= 0)) {
    throw new RangeError('createMemoryCache: maxEntries must be ≥ 1 and maxBytes ≥ 0.');
  }
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, CachedResponse>();
  let bytes = 0;
  const remove = (key: string): void => {
    const old = entries.get(key);
    if (old) {
      bytes -= old.body.byteLength;
      entries.delete(key);
    }
  };
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry) {
        entries.delete(key);
        entries.set(key, entry);
      }
      return entry;
    },
    set(entry) {
      remove(entry.key);
      if (entry.body.byteLength > maxBytes) return;
      entries.set(entry.key, entry);
      bytes += entry.body.byteLength;
      for (const key of entries.keys()) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break;
        remove(key);
      }
    },
    delete: remove,
    clear() {
      entries.clear();
      bytes = 0;
    },
    get size() {
      return entries.size;
    },
  };
}
