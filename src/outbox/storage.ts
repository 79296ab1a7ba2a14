import { createStore, del, promisifyRequest, type UseStore, values } from 'idb-keyval';
import type { OutboxEntry } from './types.js';

/**
 * Where outbox entries are kept. Writes are compare-and-set on the entry's `version`, so a tab with a stale
 * copy (it was frozen mid-send, or its storage failed for a while) can never bring back an entry that another
 * tab delivered and removed, nor overwrite a newer state.
 */
export interface OutboxStorage {
  /** Where entries survive: `indexeddb` (reloads, other tabs) or `memory` (this page only). */
  readonly persistence: 'indexeddb' | 'memory';
  all(): Promise<OutboxEntry[]>;
  /**
   * Stores `entry` if the stored copy has version `expected` (`undefined`: there must be none). Resolves
   * `false`, storing nothing, when another writer got there first.
   */
  put(entry: OutboxEntry, expected: number | undefined): Promise<boolean>;
  /** Deletes an entry (an acknowledged or discarded write: the outcome is final, whatever its version). */
  remove(id: string): Promise<void>;
}

// Entries stored before versions existed read as version 0.
const versionOf = (entry: OutboxEntry | undefined): number | undefined =>
  entry === undefined ? undefined : (entry.version ?? 0);
const withVersion = (entry: OutboxEntry): OutboxEntry =>
  entry.version === undefined ? { ...entry, version: 0 } : entry;

/** An outbox kept in memory: lost on reload. Used where IndexedDB is unavailable (and in tests). */
export function createMemoryOutboxStorage(): OutboxStorage {
  const map = new Map<string, OutboxEntry>();
  return {
    persistence: 'memory',
    all: async () => [...map.values()],
    put: async (entry, expected) => {
      if (versionOf(map.get(entry.id)) !== expected) return false;
      map.set(entry.id, entry);
      return true;
    },
    remove: async (id) => {
      map.delete(id);
    },
  };
}

/**
 * An outbox in IndexedDB (through idb-keyval), opened on first use — never at import. Each write is one
 * read-write transaction that checks the version before it puts. After a failure the database is opened
 * again on the next operation, so the outbox comes back to IndexedDB once it works again.
 */
export function createIndexedDbOutboxStorage(databaseName = 'brownout-outbox'): OutboxStorage {
  let store: UseStore | undefined;
  const db = (): UseStore => {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available here.');
    store ??= createStore(databaseName, 'entries');
    return store;
  };
  // A failed open stays failed in idb-keyval: forget it, so the next try opens the database again.
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      store = undefined;
      throw error;
    }
  };
  return {
    persistence: 'indexeddb',
    all: () => guard(async () => (await values<OutboxEntry>(db())).map(withVersion)),
    put: (entry, expected) =>
      guard(() =>
        db()(
          'readwrite',
          (objects) =>
            new Promise<boolean>((resolve, reject) => {
              const read = objects.get(entry.id);
              // In the success handler itself: the transaction is still active, so the check and the put
              // are one atomic step.
              read.onsuccess = () => {
                if (versionOf(read.result as OutboxEntry | undefined) !== expected) return resolve(false);
                objects.put(entry, entry.id);
                promisifyRequest(objects.transaction).then(() => resolve(true), reject);
              };
              read.onerror = () => reject(read.error);
            }),
        ),
      ),
    remove: (id) => guard(() => del(id, db())),
  };
}
