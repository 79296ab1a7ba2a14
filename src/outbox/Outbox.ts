import {
  type BrownoutError,
  type Clock,
  createIdempotencyKey,
  Emitter,
  fullJitter,
  isBrownoutError,
  type Random,
} from '../core/index.js';
import type { FrozenBody } from './body.js';
import { createIndexedDbOutboxStorage, createMemoryOutboxStorage, type OutboxStorage } from './storage.js';
import type { OutboxEntry, OutboxEvents, OutboxStatus, OutboxSummary } from './types.js';

/** Headers that are never stored, whatever the app configures. */
const ALWAYS_SECRET = ['authorization', 'cookie', 'proxy-authorization'];

/** How the outbox keeps and replays writes. */
export interface OutboxOptions {
  /**
   * Where entries are kept: `indexeddb` survives reloads and is shared by tabs; `memory` does not. When
   * IndexedDB is missing or fails (private mode, quota), the outbox moves to memory and says so.
   * @default 'indexeddb'
   */
  storage?: 'indexeddb' | 'memory' | OutboxStorage;
  /** @default 'brownout-outbox' */
  databaseName?: string;
  /** The current user or session id: entries of another owner are never replayed under this one. */
  owner?: string;
  /** Fresh credentials at replay time (credentials are never stored). */
  getHeaders?: () => HeadersInit | Promise<HeadersInit>;
  /** More header names never to store (besides Authorization, Cookie, Proxy-Authorization). */
  secretHeaders?: readonly string[];
  /**
   * Replay backoff for an entry that failed transiently or got a 409: full jitter.
   * @default { baseMs: 1_000, capMs: 60_000 }
   */
  backoff?: { baseMs?: number; capMs?: number };
}

/** What the outbox needs from the client. */
export interface OutboxHost {
  readonly clock: Clock;
  readonly random: Random;
  /** Sends one replay attempt; resolves with a response below 400 or rejects with a BrownoutError. */
  send(entry: OutboxEntry, headers: Headers): Promise<Response>;
  /**
   * False while the device is offline: nothing is replayed (no attempts, no backoff spent) until the host
   * calls `drain()` on its return. @default always online
   */
  online?(): boolean;
}

/** What the app gives to queue a write. */
export interface WriteRequest {
  dependency: string;
  method: string;
  url: string;
  body: FrozenBody | null;
  headers: Headers;
  idempotencyKey: string;
  /** When the dependency may be called again (a breaker's or Retry-After's `retryAt`), if known. */
  notBefore?: number;
}

const isPermanent4xx = (status: number | undefined): boolean =>
  status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429;

/**
 * The outbox: writes that could not go through now, kept (IndexedDB, or memory with a visible warning),
 * replayed in order per dependency with the same idempotency key, by one tab at a time. Nothing is
 * dropped silently: permanent failures stay as `failed` or `conflict` until the app retries or discards them.
 */
export class Outbox {
  readonly events = new Emitter<OutboxEvents>();
  readonly ready: Promise<void>;
  private storage: OutboxStorage;
  private readonly entries = new Map<string, OutboxEntry>();
  private seq = 0;
  private owner: string | undefined;
  private readonly secrets: ReadonlySet<string>;
  private readonly draining = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: unknown }>();
  private channel: BroadcastChannel | undefined;
  private readonly lockName: string;
  private disposed = false;
  // Dependencies that recovered: their queued entries go now, whatever backoff they were waiting out.
  private readonly woken = new Set<string>();

  constructor(
    private readonly host: OutboxHost,
    private readonly options: OutboxOptions = {},
  ) {
    const name = options.databaseName ?? 'brownout-outbox';
    this.lockName = `brownout-outbox:${name}`;
    this.storage =
      typeof options.storage === 'object'
        ? options.storage
        : options.storage === 'memory'
          ? createMemoryOutboxStorage()
          : createIndexedDbOutboxStorage(name);
    this.owner = options.owner;
    this.secrets = new Set([...ALWAYS_SECRET, ...(options.secretHeaders ?? []).map((h) => h.toLowerCase())]);
    if (
      this.storage.persistence === 'indexeddb' &&
      typeof BroadcastChannel === 'function' &&
      typeof indexedDB !== 'undefined'
    ) {
      this.channel = new BroadcastChannel(this.lockName);
      // Another tab changed the shared outbox: read it again.
      this.channel.onmessage = () => {
        void this.reload(false).then(() => this.changed(false));
      };
    }
    this.ready = this.reload(true).then(() => this.changed(false));
  }

  /** `indexeddb`, or `memory` when writes would not survive a reload (show it). */
  get persistence(): 'indexeddb' | 'memory' {
    return this.storage.persistence;
  }

  /** The current owner (user or session id). */
  get currentOwner(): string | undefined {
    return this.owner;
  }

  /** Changes the owner, e.g. at sign-in or sign-out: entries of other owners are no longer replayed. */
  setOwner(owner: string | undefined): void {
    this.owner = owner;
    this.changed(false);
    if (owner !== undefined) this.drain();
  }

  /** Entries in queue order, optionally only one dependency's, or one owner's. */
  list(filter: { dependency?: string; owner?: string; status?: OutboxStatus } = {}): OutboxEntry[] {
    return [...this.entries.values()]
      .filter(
        (e) =>
          (filter.dependency === undefined || e.dependency === filter.dependency) &&
          (filter.owner === undefined || e.owner === filter.owner) &&
          (filter.status === undefined || e.status === filter.status),
      )
      .sort((a, b) => a.seq - b.seq);
  }

  /** Counts by status and the oldest entry's time, for one dependency. */
  summary(dependency: string): OutboxSummary {
    const counts = { queued: 0, sending: 0, failed: 0, conflict: 0 };
    let oldest: number | undefined;
    for (const e of this.entries.values()) {
      if (e.dependency !== dependency) continue;
      counts[e.status]++;
      if (oldest === undefined || e.createdAt < oldest) oldest = e.createdAt;
    }
    return oldest === undefined ? counts : { ...counts, oldestCreatedAt: oldest };
  }

  /** Stores a write (secrets stripped) and schedules its replay. */
  async enqueue(request: WriteRequest): Promise<{ entry: OutboxEntry; position: number }> {
    await this.ready;
    const headers: [string, string][] = [];
    request.headers.forEach((value, key) => {
      if (!this.secrets.has(key.toLowerCase())) headers.push([key, value]);
    });
    const now = this.host.clock.now();
    // The write just failed: the first replay waits one backoff (or until the dependency may be called).
    const wait = Math.max(this.backoff(0), (request.notBefore ?? now) - now);
    const entry: OutboxEntry = {
      id: createIdempotencyKey(),
      dependency: request.dependency,
      method: request.method,
      url: request.url,
      body: request.body,
      headers,
      idempotencyKey: request.idempotencyKey,
      createdAt: now,
      seq: this.nextSeq(),
      attempts: 0,
      status: 'queued',
      nextAttemptAt: now + wait,
      ...(this.owner === undefined ? {} : { owner: this.owner }),
    };
    await this.save(entry);
    this.schedule(entry.dependency, entry.nextAttemptAt);
    const position = this.list({ dependency: entry.dependency }).filter((e) => e.status === 'queued').length;
    this.events.emit('queued', { entry, position });
    this.changed(true);
    return { entry, position };
  }

  /** Removes an entry for good (the app or the user decided). */
  async discard(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    await this.persist((s) => s.remove(id));
    this.events.emit('discarded', { entry });
    this.changed(true);
  }

  /** Puts a `failed` or `conflict` entry back in the queue (same key, same payload) and replays. */
  async retry(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || entry.status === 'sending') return;
    await this.save({ ...entry, status: 'queued', nextAttemptAt: this.host.clock.now() });
    this.changed(true);
    this.drain(entry.dependency);
  }

  /** Gives an entry to another owner (e.g. the same person after a new session id). */
  async reown(id: string, owner: string | undefined): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    const { owner: _old, ...rest } = entry;
    await this.save(owner === undefined ? rest : { ...rest, owner });
    this.changed(true);
  }

  /**
   * Replays queued writes of `dependency` (or of all): FIFO, one at a time, the same key every time. Many
   * triggers at once give one drain; another tab that holds the lock drains instead of this one.
   */
  drain(dependency?: string): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const deps =
      dependency === undefined ? new Set([...this.entries.values()].map((e) => e.dependency)) : [dependency];
    return Promise.all([...deps].map((d) => this.drainDependency(d))).then(() => {});
  }

  /** The dependency recovered (its breaker closed after a probe): replay its queue now, skipping backoffs. */
  wake(dependency: string): Promise<void> {
    this.woken.add(dependency);
    return this.drain(dependency);
  }

  /** Stops timers and the cross-tab channel. */
  dispose(): void {
    this.disposed = true;
    for (const { timer } of this.timers.values()) this.host.clock.clearTimeout(timer);
    this.timers.clear();
    // Dropped, not only closed: a replay that ends after dispose must not post on a closed channel.
    this.channel?.close();
    this.channel = undefined;
    this.events.clear();
  }

  private drainDependency(dependency: string): Promise<void> {
    const running = this.draining.get(dependency);
    if (running) {
      this.again.add(dependency);
      return running;
    }
    const run = this.withLock(dependency, () => this.replay(dependency)).finally(() => {
      this.draining.delete(dependency);
      if (this.again.delete(dependency)) void this.drainDependency(dependency);
    });
    this.draining.set(dependency, run);
    return run;
  }

  private async withLock(dependency: string, work: () => Promise<void>): Promise<void> {
    await this.ready;
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (this.storage.persistence !== 'indexeddb' || !locks) return work();
    // One tab replays at a time: the others skip; the one holding the lock will see their entries.
    await locks.request(`${this.lockName}:${dependency}`, { ifAvailable: true }, async (lock) => {
      if (lock) {
        await this.reload(true);
        await work();
      }
    });
  }

  private async replay(dependency: string): Promise<void> {
    for (;;) {
      if (this.disposed) return;
      // Offline: wait for the host's drain on return, not for a timer that would fail again.
      if (this.host.online && !this.host.online()) return;
      const head = this.list({ dependency }).find((e) => e.status === 'queued' && e.owner === this.owner);
      if (!head) return;
      const now = this.host.clock.now();
      if (head.nextAttemptAt > now && !this.woken.has(dependency))
        return this.schedule(dependency, head.nextAttemptAt);
      let sending: OutboxEntry = { ...head, status: 'sending', attempts: head.attempts + 1 };
      await this.save(sending);
      this.events.emit('sending', { entry: sending });
      this.changed(true);
      let error: BrownoutError | undefined;
      let status = 0;
      try {
        const headers = new Headers(head.headers as [string, string][]);
        if (this.options.getHeaders) {
          for (const [key, value] of new Headers(await this.options.getHeaders())) headers.set(key, value);
        }
        const response = await this.host.send(head, headers);
        status = response.status;
        // Not awaited: a cancel can wait on the transport, and the answer is already known.
        response.body?.cancel().catch(() => {});
      } catch (e) {
        error = isBrownoutError(e) ? e : undefined;
        if (!error) throw e;
      }
      if (!error) {
        // Removed only after the acknowledgement: a page closed before this line replays the same key.
        this.entries.delete(head.id);
        await this.persist((s) => s.remove(head.id));
        this.events.emit('replayed', { entry: sending, status });
        this.changed(true);
        continue;
      }
      const lastProblem = error.toJSON();
      if (error.status === 422) {
        sending = { ...sending, status: 'conflict', lastProblem };
        await this.save(sending);
        this.events.emit('conflict', { entry: sending });
        this.changed(true);
        continue;
      }
      if (isPermanent4xx(error.status)) {
        sending = { ...sending, status: 'failed', lastProblem };
        await this.save(sending);
        this.events.emit('failed', { entry: sending });
        this.changed(true);
        continue;
      }
      // The device went offline during the send: back to the queue as it was, replayed on return.
      if (error.code === 'network.offline') {
        await this.save({ ...sending, status: 'queued', attempts: head.attempts });
        this.changed(true);
        return;
      }
      // 409 (the first try is still in flight) or transient: back off, same key, same payload, keep order.
      this.woken.delete(dependency);
      const wait = Math.max(
        this.backoff(sending.attempts),
        error.retryAt === undefined ? 0 : error.retryAt - now,
      );
      sending = { ...sending, status: 'queued', nextAttemptAt: now + wait, lastProblem };
      await this.save(sending);
      this.changed(true);
      return this.schedule(dependency, sending.nextAttemptAt);
    }
  }

  private backoff(retry: number): number {
    const { baseMs = 1_000, capMs = 60_000 } = this.options.backoff ?? {};
    return fullJitter({ retry, baseMs, capMs, previousMs: 0, random: this.host.random });
  }

  private schedule(dependency: string, at: number): void {
    const current = this.timers.get(dependency);
    if (current && current.at <= at) return;
    if (current) this.host.clock.clearTimeout(current.timer);
    const timer = this.host.clock.setTimeout(
      () => {
        this.timers.delete(dependency);
        void this.drainDependency(dependency);
      },
      Math.max(0, at - this.host.clock.now()),
    );
    this.timers.set(dependency, { at, timer });
  }

  private nextSeq(): number {
    // Unique across tabs sharing the database: time-ordered, with a counter for the same millisecond.
    this.seq = Math.max(this.seq + 1, this.host.clock.now() * 1000);
    return this.seq;
  }

  private async save(entry: OutboxEntry): Promise<void> {
    this.entries.set(entry.id, entry);
    await this.persist((s) => s.put(entry));
  }

  /**
   * Reads the stored entries. `recover`: this tab is the one that replays (it holds the lock, or is alone), so
   * an entry stored as `sending` belongs to a page that closed mid-send: it is queued again, and its key makes
   * the resend safe.
   */
  private async reload(recover: boolean): Promise<void> {
    let stored: OutboxEntry[];
    try {
      stored = await this.storage.all();
    } catch {
      await this.fallBackToMemory();
      return;
    }
    this.entries.clear();
    for (const e of stored) {
      const entry = recover && e.status === 'sending' ? { ...e, status: 'queued' as const } : e;
      this.entries.set(entry.id, entry);
      this.seq = Math.max(this.seq, entry.seq);
    }
  }

  private async persist(write: (storage: OutboxStorage) => Promise<void>): Promise<void> {
    try {
      await write(this.storage);
    } catch {
      await this.fallBackToMemory();
    }
  }

  private async fallBackToMemory(): Promise<void> {
    if (this.storage.persistence === 'memory') return;
    // IndexedDB failed (unavailable, private mode, quota): keep every entry in memory and say so.
    this.storage = createMemoryOutboxStorage();
    for (const entry of this.entries.values()) await this.storage.put(entry);
    this.channel?.close();
    this.channel = undefined;
    this.changed(false);
  }

  private changed(broadcast: boolean): void {
    if (broadcast) this.channel?.postMessage('changed');
    this.events.emit('changed', { persistence: this.storage.persistence });
  }
}
