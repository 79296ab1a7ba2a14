import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { OutboxEntry } from './types.js';

/** Where outbox entries are kept. */
export interface OutboxStorage {
  /** Where entries survive: `indexeddb` (reloads, other tabs) or `memory` (this page only). */
  readonly persistence: 'indexeddb' | 'memory';
  all(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  remove(id: string): Promise<void>;
}

/** An outbox kept in memory: lost on reload. Used where IndexedDB is unavailable (and in tests). */
export function createMemoryOutboxStorage(): OutboxStorage {
  const map = new Map<string, OutboxEntry>();
  return {
    persistence: 'memory',
    all: async () => [...map.values()],
    put: async (entry) => {
      map.set(entry.id, entry);
    },
    remove: async (id) => {
      map.delete(id);
    },
  };
}

/**
 * An outbox in IndexedDB (through idb-keyval), opened on first use — never at import. Throws when
 * IndexedDB is missing; the outbox then falls back to memory and says so.
 */
export function createIndexedDbOutboxStorage(databaseName = 'brownout-outbox'): OutboxStorage {
  let store: UseStore | undefined;
  const db = (): UseStore => {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available here.');
    store ??= createStore(databaseName, 'entries');
    return store;
  };
  return {
    persistence: 'indexeddb',
    all: async () => (await entries<string, OutboxEntry>(db())).map(([, entry]) => entry),
    put: (entry) => set(entry.id, entry, db()),
    remove: (id) => del(id, db()),
  };
}
