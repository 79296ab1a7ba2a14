import type { FrozenBody } from './body.js';

/** Where a queued write stands. */
export type OutboxStatus = 'queued' | 'sending' | 'failed' | 'conflict';

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
  /** Order within the outbox (FIFO per dependency). */
  readonly seq: number;
  readonly attempts: number;
  readonly status: OutboxStatus;
  /** Not before this time (epoch ms): the replay backoff. */
  readonly nextAttemptAt: number;
  /** The last failure as problem details JSON. */
  readonly lastProblem?: Readonly<Record<string, unknown>>;
  /** The app's user or session id when it was queued. */
  readonly owner?: string;
}

/** Counts of one dependency's queued writes. */
export interface OutboxSummary {
  readonly queued: number;
  readonly sending: number;
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
  failed: { readonly entry: OutboxEntry };
  conflict: { readonly entry: OutboxEntry };
  discarded: { readonly entry: OutboxEntry };
  /** Any change of the outbox (also from another tab), and of where it is kept. */
  changed: { readonly persistence: 'indexeddb' | 'memory' };
}
