import type { FrozenBody } from './body.js';

/**
 * Where a queued write stands: `queued` (waiting its turn), `sending` (a tab is sending it now),
 * `needs-auth` (the service answered 401/403: replay of its dependency waits for sign-in and `resume()`),
 * `failed` (refused for good: a 4xx), `conflict` (the resource changed, or the key met another payload).
 */
export type OutboxStatus = 'queued' | 'sending' | 'needs-auth' | 'failed' | 'conflict';

/** What became of one write the app made: its status while kept, then `sent` or `discarded`. */
export type WriteState = OutboxStatus | 'sent' | 'discarded';

/** One queued write. Plain data: what is stored is exactly this, never a credential. */
export interface OutboxEntry {
  readonly id: string;
  readonly dependency: string;
  readonly method: string;
  readonly url: string;
  readonly body: FrozenBody | null;
  /** Headers without secrets (Authorization, Cookie, Proxy-Authorization and the configured list). */
  readonly headers: readonly (readonly [string, string])[];
  /** Made once, sent on every attempt and replay. */
  readonly idempotencyKey: string;
  readonly createdAt: number;
  /** Order within the outbox (FIFO per order key). */
  readonly seq: number;
  /** Writes with the same order key take effect in the order made. @default the dependency */
  readonly orderKey?: string;
  /** Bumped on every stored change: storage writes are compare-and-set on it, so a stale copy never wins. */
  readonly version: number;
  readonly attempts: number;
  readonly status: OutboxStatus;
  /** Not before this time (epoch ms): the replay backoff. */
  readonly nextAttemptAt: number;
  /** The wait that `nextAttemptAt` stands for: a wall clock stepped back never makes it longer. */
  readonly waitMs?: number;
  /** While `sending`: the tab sending it, and until when (epoch ms) its claim holds unless renewed. */
  readonly tab?: string;
  readonly leaseUntil?: number;
  /** True while the app's own call makes the first attempt (not yet a waiting write). */
  readonly live?: boolean;
  /** The last failure as problem details JSON. */
  readonly lastProblem?: Readonly<Record<string, unknown>>;
  /** The app's user or session id when it was queued. */
  readonly owner?: string;
}

/** Counts of one dependency's queued writes. */
export interface OutboxSummary {
  readonly queued: number;
  readonly sending: number;
  readonly needsAuth: number;
  readonly failed: number;
  readonly conflict: number;
  /** When the oldest entry was queued (epoch ms). */
  readonly oldestCreatedAt?: number;
}

/** Outbox events, by type. */
export interface OutboxEvents {
  queued: { readonly entry: OutboxEntry; readonly position: number };
  sending: { readonly entry: OutboxEntry };
  replayed: { readonly entry: OutboxEntry; readonly status: number };
  /** A replay was answered 401/403: the dependency's replay waits for `resume()` (after sign-in). */
  'needs-auth': { readonly entry: OutboxEntry };
  failed: { readonly entry: OutboxEntry };
  conflict: { readonly entry: OutboxEntry };
  /** Removed unsent: by the user (`discard`) or in favour of the server's version (`acceptTheirs`). */
  discarded: { readonly entry: OutboxEntry; readonly reason: 'discarded' | 'theirs' };
  /** Storage refused an operation: the entry is kept in memory and the operation retried. */
  'storage-error': { readonly error: unknown };
  /** Any change of the outbox (also from another tab), and of where it is kept. */
  changed: { readonly persistence: 'indexeddb' | 'memory' };
}
