import { DEFAULTS } from '../core/index.js';
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
  /**
   * Deletes an entry. Without `expected`, whatever its version (an acknowledged write: the outcome is final);
   * with it, only if the stored copy has that version (a discard must not delete a write another tab is
   * sending). Resolves `false` when it deleted nothing for that reason.
   */
  remove(id: string, expected?: number): Promise<boolean>;
  /** Lets go of the database (the outbox is disposed). */
  close?(): void;
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
    remove: async (id, expected) => {
      if (expected !== undefined && versionOf(map.get(id)) !== expected) return false;
      map.delete(id);
      return true;
    },
  };
}

/**
 * An outbox in IndexedDB, opened on first use — never at import. Each write is one read-write transaction
 * that checks the version before it puts. After a failure the database is opened again on the next
 * operation, so the outbox comes back to IndexedDB once it works again; `close()` lets go of it.
 */
export function createIndexedDbOutboxStorage(
  databaseName: string = DEFAULTS.outbox.databaseName,
): OutboxStorage {
  let opening: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    if (typeof indexedDB === 'undefined')
      return Promise.reject(new Error('IndexedDB is not available here.'));
    opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(databaseName);
      request.onupgradeneeded = () => request.result.createObjectStore('entries');
      request.onsuccess = () => {
        // Another page upgrading or deleting the database: let go, and open again on the next use.
        request.result.onversionchange = () => {
          request.result.close();
          opening = undefined;
        };
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('IndexedDB is blocked by another page.'));
    });
    return opening;
  };
  const run = async <T>(
    mode: IDBTransactionMode,
    work: (entries: IDBObjectStore, done: (value: T) => void) => void,
  ): Promise<T> => {
    try {
      const db = await open();
      return await new Promise<T>((resolve, reject) => {
        const tx = db.transaction('entries', mode);
        let result: T;
        // Settled when the transaction commits: a write is durable once this resolves.
        tx.oncomplete = () => resolve(result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted.'));
        work(tx.objectStore('entries'), (value) => {
          result = value;
        });
      });
    } catch (error) {
      opening = undefined;
      throw error;
    }
  };
  return {
    persistence: 'indexeddb',
    all: () =>
      run<OutboxEntry[]>('readonly', (entries, done) => {
        const read = entries.getAll();
        read.onsuccess = () => done((read.result as OutboxEntry[]).map(withVersion));
      }),
    put: (entry, expected) =>
      run<boolean>('readwrite', (entries, done) => {
        const read = entries.get(entry.id);
        // In the success handler itself: the transaction is still active, so the check and the put are one
        // atomic step.
        read.onsuccess = () => {
          const ok = versionOf(read.result as OutboxEntry | undefined) === expected;
          if (ok) entries.put(entry, entry.id);
          done(ok);
        };
      }),
    remove: (id, expected) =>
      run<boolean>('readwrite', (entries, done) => {
        if (expected === undefined) {
          entries.delete(id);
          return done(true);
        }
        const read = entries.get(id);
        read.onsuccess = () => {
          const ok = versionOf(read.result as OutboxEntry | undefined) === expected;
          if (ok) entries.delete(id);
          done(ok);
        };
      }),
    close: () => {
      const db = opening;
      opening = undefined;
      void db?.then((d) => d.close()).catch(() => {});
    },
  };
}
