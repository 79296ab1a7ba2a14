import {
  type BrownoutError,
  type Clock,
  createIdempotencyKey,
  DEFAULTS,
  Emitter,
  fullJitter,
  type Random,
  RetryBudget,
  type RetryBudgetOptions,
} from '../core/index.js';
import type { FrozenBody } from './body.js';
import { Replayer, unclaimed } from './replay.js';
import { createIndexedDbOutboxStorage, createMemoryOutboxStorage, type OutboxStorage } from './storage.js';
import { createTabRegistry, type TabLocks, type TabRegistry } from './tabs.js';
import type { OutboxEntry, OutboxEvents, OutboxStatus, OutboxSummary, WriteState } from './types.js';

/** Headers that are never stored, whatever the app configures. */
const ALWAYS_SECRET = ['authorization', 'cookie', 'proxy-authorization'];
/** Final states remembered for `state()`/`watch()` after the entry is gone. */
const REMEMBERED = 500;

/** How the outbox keeps and replays writes. */
export interface OutboxOptions {
  /**
   * Where entries are kept: `indexeddb` survives reloads and is shared by tabs; `memory` does not. While
   * IndexedDB fails (private mode, quota), entries are kept in memory, the outbox says so, and it writes them
   * back once IndexedDB works again.
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
   * Replay backoff for an entry that failed transiently or got a 409: full jitter, counted from the end of
   * the failed attempt.
   * @default { baseMs: 1_000, capMs: 60_000 }
   */
  backoff?: { baseMs?: number; capMs?: number };
  /**
   * The outbox's own retry budget: replays of writes that already failed draw from it, each write made and
   * each write delivered adds to it; when it is spent, replay waits 5 s.
   * @default { ratio: 0.5, minPerSecond: 0.2, windowMs: 60_000 }
   */
  budget?: RetryBudgetOptions;
  /**
   * How long a tab's claim on a write it is sending holds without renewal (it renews while it sends). A claim
   * past it belongs to a tab that is gone or frozen: another tab resends the write with its key.
   * @default 30_000
   */
  leaseMs?: number;
  /**
   * Web Locks, to tell at once that the tab sending a write is gone; `null`: without them, a claim's lease
   * running out tells it.
   * @default navigator.locks
   */
  locks?: TabLocks | null;
}

/** What the outbox needs from the client. */
export interface OutboxHost {
  readonly clock: Clock;
  readonly random: Random;
  /** Sends one replay attempt; resolves with a response below 400 or rejects with a BrownoutError. */
  send(entry: OutboxEntry, headers: Headers, extra?: { keepalive?: boolean }): Promise<Response>;
  /**
   * False while the device is offline: nothing is replayed (no attempts, no backoff spent) until the host
   * calls `drain()` on its return. @default always online
   */
  online?(): boolean;
  /** Until when (epoch ms) the dependency must not be called (an open breaker, a hold), if it must not now. */
  blockedUntil?(dependency: string): number | undefined;
  /** False for a dependency the app does not declare (any more): its entries are marked `failed`. */
  knows?(dependency: string): boolean;
}

/** What the app gives to queue a write. */
export interface WriteRequest {
  dependency: string;
  method: string;
  url: string;
  body: FrozenBody | null;
  headers: Headers;
  idempotencyKey: string;
  /** Writes with the same order key take effect in the order made. @default the dependency */
  orderKey?: string;
  /** When the dependency may be called again (a breaker's or Retry-After's `retryAt`), if known. */
  notBefore?: number;
}

/** A write stored before its first attempt: `sendNow` says whether the caller sends it now. */
export interface BegunWrite {
  readonly entry: OutboxEntry;
  /** Its place among the dependency's waiting writes, from 1. */
  readonly position: number;
  /**
   * True: the caller sends it now and then calls `acknowledge`, `release` or `abandon`. False: it waits
   * behind earlier writes, or the dependency cannot be called; the outbox sends it.
   */
  readonly sendNow: boolean;
}

/**
 * The outbox: a write-ahead log of writes to `writes: 'queue'` dependencies. A write is stored before its
 * first attempt and removed on acknowledgement, so closing the tab at any instant loses nothing; writes with
 * one order key take effect in the order made; replays keep the write's idempotency key, so a resend after
 * a crash has one effect. Storage writes are compare-and-set, so no tab can resurrect a delivered write.
 * Nothing is dropped silently: refused writes stay `failed`, `conflict` or `needs-auth` until resolved.
 */
export class Outbox {
  readonly events = new Emitter<OutboxEvents>();
  readonly ready: Promise<void>;
  /** This tab's id in claims (`entry.tab`). */
  readonly tab = createIdempotencyKey();
  /** @internal The stored entries as this tab knows them. */
  readonly entries = new Map<string, OutboxEntry>();
  /** @internal Entries this tab is sending now. */
  readonly inFlight = new Map<string, Promise<void>>();
  /** @internal */
  readonly budget: RetryBudget;
  /** @internal */
  readonly tabs: TabRegistry | undefined;
  /** @internal */
  readonly leaseMs: number;
  /** @internal */
  disposed = false;
  private readonly storage: OutboxStorage;
  private readonly replayer: Replayer;
  private seq = 0;
  private owner: string | undefined;
  private readonly secrets: ReadonlySet<string>;
  private channel: BroadcastChannel | undefined;
  private releaseTab: (() => void) | undefined;
  // Storage that failed: the operations it owes (an entry to put, or null to remove), retried with backoff.
  private readonly owed = new Map<string, OutboxEntry | null>();
  private storageRetry: { timer: unknown; attempt: number } | undefined;
  // The version of each entry known to be on disk (what a compare-and-set expects).
  private readonly onDisk = new Map<string, number>();
  private readonly busy = new Map<string, number>();
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  private readonly finals = new Map<string, WriteState>();
  private readonly watchers = new Map<string, Set<(state: WriteState) => void>>();

  constructor(
    readonly host: OutboxHost,
    readonly options: OutboxOptions = {},
  ) {
    const name = options.databaseName ?? DEFAULTS.outbox.databaseName;
    const prefix = `brownout-outbox:${name}`;
    const idb = typeof indexedDB !== 'undefined';
    this.storage =
      typeof options.storage === 'object'
        ? options.storage
        : (options.storage ?? DEFAULTS.outbox.storage) === 'memory' || !idb
          ? createMemoryOutboxStorage()
          : createIndexedDbOutboxStorage(name);
    this.owner = options.owner;
    this.leaseMs = options.leaseMs ?? DEFAULTS.outbox.leaseMs;
    this.budget = new RetryBudget(host.clock, { ...DEFAULTS.outbox.budget, ...options.budget });
    this.secrets = new Set([...ALWAYS_SECRET, ...(options.secretHeaders ?? []).map((h) => h.toLowerCase())]);
    const shared = this.storage.persistence === 'indexeddb';
    const locks =
      options.locks === undefined ? (globalThis.navigator as Navigator | undefined)?.locks : options.locks;
    this.tabs = shared ? createTabRegistry(prefix, locks) : undefined;
    const holding = this.tabs?.hold(this.tab);
    this.releaseTab = holding?.release;
    if (shared && typeof BroadcastChannel === 'function') {
      this.channel = new BroadcastChannel(prefix);
      // Another tab changed the shared outbox: read it again, and learn what became of settled writes.
      this.channel.onmessage = (message: MessageEvent) => {
        const settled = (message.data as { settled?: Record<string, WriteState> } | null)?.settled;
        for (const [id, state] of Object.entries(settled ?? {})) this.remember(id, state);
        void this.reload().then(() => this.afterReload());
      };
    }
    this.replayer = new Replayer(this);
    this.ready = (holding?.held ?? Promise.resolve())
      .then(() => this.reload())
      .then(() => this.afterReload());
  }

  /** `indexeddb`, or `memory` when writes would not survive a reload (show it). */
  get persistence(): 'indexeddb' | 'memory' {
    return this.storage.persistence === 'memory' || this.degraded ? 'memory' : 'indexeddb';
  }

  /** Storage failed and owes operations: entries live in this tab's memory until it works again. */
  private get degraded(): boolean {
    return this.owed.size > 0 || this.storageRetry !== undefined;
  }

  /** The current owner (user or session id). */
  get currentOwner(): string | undefined {
    return this.owner;
  }

  /** Changes the owner, e.g. at sign-in or sign-out: entries of other owners are no longer replayed. */
  setOwner(owner: string | undefined): void {
    this.owner = owner;
    this.changed(false);
    if (owner !== undefined) void this.resume();
  }

  /**
   * Entries in queue order, optionally only one dependency's, one owner's or one status's. A write the app's
   * own call is sending for the first time is not listed: it is not waiting (yet).
   */
  list(filter: { dependency?: string; owner?: string; status?: OutboxStatus } = {}): OutboxEntry[] {
    return [...this.entries.values()]
      .filter(
        (e) =>
          !this.isLive(e) &&
          (filter.dependency === undefined || e.dependency === filter.dependency) &&
          (filter.owner === undefined || e.owner === filter.owner) &&
          (filter.status === undefined || e.status === filter.status),
      )
      .sort((a, b) => a.seq - b.seq);
  }

  /** Counts by status and the oldest entry's time, for one dependency (first live sends not counted). */
  summary(dependency: string): OutboxSummary {
    const counts = { queued: 0, sending: 0, needsAuth: 0, failed: 0, conflict: 0 };
    let oldest: number | undefined;
    for (const e of this.entries.values()) {
      if (e.dependency !== dependency || this.isLive(e)) continue;
      counts[e.status === 'needs-auth' ? 'needsAuth' : e.status]++;
      if (oldest === undefined || e.createdAt < oldest) oldest = e.createdAt;
    }
    return oldest === undefined ? counts : { ...counts, oldestCreatedAt: oldest };
  }

  /**
   * Stores a write before its first attempt (write-ahead). It goes now (`sendNow`) when no earlier write of
   * its order key waits and `live` says the dependency can be called; a write of this tab that is being sent
   * is waited for first, so two quick writes keep their order and both get the server's answer.
   */
  async begin(request: WriteRequest & { live: boolean }): Promise<BegunWrite> {
    await this.ready;
    const group = request.orderKey ?? request.dependency;
    const now = this.host.clock.now();
    const ahead = this.waiting(group);
    const sendNow = request.live && ahead.length === 0;
    // Behind this tab's own sends only: stored now (its place in the order is taken), sent when they end.
    const behindOwn = request.live && !sendNow && ahead.every((e) => this.inFlight.has(e.id));
    const headers: [string, string][] = [];
    request.headers.forEach((value, key) => {
      if (!this.secrets.has(key.toLowerCase())) headers.push([key, value]);
    });
    const notBefore = Math.max(now, request.notBefore ?? now);
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
      version: 1,
      attempts: sendNow ? 1 : 0,
      nextAttemptAt: notBefore,
      waitMs: notBefore - now,
      ...(request.orderKey === undefined ? {} : { orderKey: request.orderKey }),
      ...(this.owner === undefined ? {} : { owner: this.owner }),
      ...(sendNow
        ? { status: 'sending' as const, tab: this.tab, leaseUntil: now + this.leaseMs, live: true }
        : behindOwn
          ? { status: 'queued' as const, tab: this.tab, live: true }
          : { status: 'queued' as const }),
    };
    this.budget.recordCall();
    if (sendNow || behindOwn) this.replayer.track(entry.id);
    await this.save(entry, undefined);
    // Other tabs learn of a write about to be sent at once: a write they make now queues behind it. (A write
    // that waits is told below, once, with its `queued` event.)
    if (sendNow || behindOwn) this.changed(true);
    if (sendNow) return { entry, position: 0, sendNow };
    if (behindOwn) {
      const sending = await this.afterOwn(entry, group);
      if (sending) return { entry: sending, position: 0, sendNow: true };
    }
    const kept = this.entries.get(entry.id) ?? entry;
    const position = this.position(kept);
    this.events.emit('queued', { entry: kept, position });
    this.changed(true);
    this.replayer.schedule(group, kept.nextAttemptAt);
    return { entry: kept, position, sendNow: false };
  }

  /**
   * Waits for this tab's sends ahead of `entry`; then it goes now if it is next, or joins the queue as any
   * waiting write (the one ahead failed and waits, or another tab took it over).
   */
  private async afterOwn(entry: OutboxEntry, group: string): Promise<OutboxEntry | undefined> {
    for (;;) {
      const ahead = this.waiting(group).filter((e) => e.seq < entry.seq && this.inFlight.has(e.id));
      if (ahead.length === 0) break;
      await Promise.all(ahead.map((e) => this.inFlight.get(e.id)));
    }
    const current = this.entries.get(entry.id);
    const next = this.waiting(group)[0];
    const online = !this.host.online || this.host.online();
    const blocked = (this.host.blockedUntil?.(entry.dependency) ?? 0) > this.host.clock.now();
    if (current?.status === 'queued' && next?.id === entry.id && online && !blocked) {
      const now = this.host.clock.now();
      const claim = { ...current, status: 'sending' as const, attempts: 1, leaseUntil: now + this.leaseMs };
      if (await this.update(current, claim)) return this.entries.get(entry.id);
    }
    this.replayer.untrack(entry.id);
    const left = this.entries.get(entry.id);
    if (left?.live) await this.update(left, unclaimed(left));
    return undefined;
  }

  /** Stores a write that could not go now and schedules its replay (a `begin` that does not send). */
  async enqueue(request: WriteRequest): Promise<{ entry: OutboxEntry; position: number }> {
    const { entry, position } = await this.begin({ ...request, live: false });
    return { entry, position };
  }

  /** The caller's first attempt of a begun write was acknowledged: it is done. */
  async acknowledge(id: string): Promise<void> {
    const entry = this.entries.get(id);
    this.replayer.untrack(id);
    if (entry) await this.finish(entry, 'sent');
    this.budget.recordCall();
  }

  /** The caller's first attempt failed in a way worth waiting out: the write waits in the queue. */
  async release(id: string, error: BrownoutError): Promise<{ entry: OutboxEntry; position: number }> {
    const begun = this.entries.get(id);
    const entry = await this.replayer.failed(id, error, { first: true });
    this.replayer.untrack(id);
    const kept = entry ?? this.entries.get(id);
    // Another tab took it over while this one waited (this tab was frozen) and may have sent it: it is a
    // queued write all the same, whose state (`watch`) says what became of it.
    if (!kept) {
      if (!begun) throw new Error(`Brownout outbox: write ${id} is not kept here.`);
      return { entry: begun, position: 0 };
    }
    const position = this.position(kept);
    this.events.emit('queued', { entry: kept, position });
    this.changed(true);
    return { entry: kept, position };
  }

  /** The caller's first attempt got an answer the app handles itself (a 4xx, an abort): forget the write. */
  async abandon(id: string): Promise<void> {
    this.replayer.untrack(id);
    if (this.entries.has(id)) await this.remove(id);
    this.changed(true);
    void this.drain();
  }

  /** Removes an entry for good (the app or the user decided). A write being sent cannot be discarded. */
  async discard(id: string): Promise<void> {
    await this.settle(id, 'discarded');
  }

  /** Conflict → "use theirs": drops the write in favour of the server's version (the app refetches). */
  async acceptTheirs(id: string): Promise<void> {
    await this.settle(id, 'theirs');
  }

  /** Puts a `failed` or `conflict` entry back in the queue (same key, same payload) and replays. */
  async retry(id: string): Promise<void> {
    await this.requeue(
      id,
      (e) => e.status === 'failed' || e.status === 'conflict',
      (e) => e,
    );
  }

  /**
   * Conflict → "keep mine": resends the write without its precondition (`If-Match`, `If-Unmodified-Since`),
   * under a new idempotency key (the server refused the old one, so it had no effect).
   */
  async keepMine(id: string): Promise<void> {
    await this.requeue(
      id,
      (e) => e.status === 'conflict',
      (e) => ({
        ...e,
        idempotencyKey: createIdempotencyKey(),
        headers: e.headers.filter(([k]) => !/^if-(match|unmodified-since)$/i.test(k)),
      }),
    );
  }

  /**
   * Sends the `needs-auth` writes of `dependency` (or of all) again: call it after sign-in. The app's
   * `getHeaders` gives the new credentials.
   */
  async resume(dependency?: string): Promise<void> {
    await this.ready;
    const paused = [...this.entries.values()].filter(
      (e) => e.status === 'needs-auth' && (dependency === undefined || e.dependency === dependency),
    );
    for (const e of paused) {
      await this.update(e, { ...e, status: 'queued', nextAttemptAt: this.host.clock.now(), waitMs: 0 });
    }
    if (paused.length > 0) this.changed(true);
    void this.drain(dependency);
  }

  /** Gives an entry to another owner (e.g. the same person after a new session id). */
  async reown(id: string, owner: string | undefined): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    const { owner: _old, ...rest } = entry;
    await this.update(entry, owner === undefined ? rest : { ...rest, owner });
    this.changed(true);
    void this.drain(entry.dependency);
  }

  /**
   * Replays waiting writes of `dependency` (or of all): FIFO per order key, one at a time, the same key every
   * time. Many triggers at once give one drain per order key.
   */
  drain(dependency?: string): Promise<void> {
    return this.replayer.drain(dependency);
  }

  /** The dependency recovered (its breaker closed after a probe): replay its queue now, skipping backoffs. */
  wake(dependency: string): Promise<void> {
    return this.replayer.wake(dependency);
  }

  /**
   * The page is going away (`pagehide`): each order key's next write (64 KB in all) is sent once with
   * `keepalive`, under its key, so it can arrive even though the page cannot wait. It stays stored: the next
   * load resends it with the same key, which the server applies once.
   */
  leave(): void {
    this.replayer.leave();
  }

  /** What became of a write (kept, `sent` or `discarded`), or `undefined` when this outbox never knew it. */
  state(id: string): WriteState | undefined {
    return this.entries.get(id)?.status ?? this.finals.get(id);
  }

  /** Calls `listener` with each new state of one write; returns the unsubscribe. */
  watch(id: string, listener: (state: WriteState) => void): () => void {
    const set = this.watchers.get(id) ?? new Set();
    this.watchers.set(id, set);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.watchers.get(id) === set) this.watchers.delete(id);
    };
  }

  /** Resolves when a write is settled for now: `sent`, `discarded`, `failed` or `conflict`. */
  settled(id: string): Promise<WriteState> {
    const done = (s: WriteState | undefined) =>
      s === 'sent' || s === 'discarded' || s === 'failed' || s === 'conflict';
    const now = this.state(id);
    if (done(now)) return Promise.resolve(now as WriteState);
    return new Promise((resolve) => {
      const off = this.watch(id, (s) => {
        if (!done(s)) return;
        off();
        resolve(s);
      });
    });
  }

  /** Stops timers, the cross-tab channel and this tab's lock. */
  dispose(): void {
    this.disposed = true;
    this.replayer.dispose();
    if (this.storageRetry) this.host.clock.clearTimeout(this.storageRetry.timer);
    this.storageRetry = undefined;
    // Dropped, not only closed: a replay that ends after dispose must not post on a closed channel.
    this.channel?.close();
    this.channel = undefined;
    this.releaseTab?.();
    this.storage.close?.();
    this.events.clear();
    this.watchers.clear();
  }

  // ——— internal: used by the replayer ———

  /** @internal Waiting entries of one order key this owner may send, oldest first. */
  waiting(group: string): OutboxEntry[] {
    const out: OutboxEntry[] = [];
    for (const e of this.entries.values()) {
      if ((e.orderKey ?? e.dependency) !== group || e.owner !== this.owner) continue;
      if (e.status === 'failed' || e.status === 'conflict') continue;
      out.push(e);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /**
   * @internal Whether this tab may claim `entry`: not while its storage fails for an entry other tabs can see
   * (the claim could not be compare-and-set, so two tabs might send it).
   */
  canClaim(entry: OutboxEntry): boolean {
    return !(this.degraded && this.onDisk.has(entry.id));
  }

  /** @internal The owner writes are replayed under. */
  get replayOwner(): string | undefined {
    return this.owner;
  }

  /** @internal Headers to send: the stored ones, then fresh credentials. */
  async headersFor(entry: OutboxEntry): Promise<Headers> {
    const headers = new Headers(entry.headers as [string, string][]);
    if (this.options.getHeaders) {
      for (const [key, value] of new Headers(await this.options.getHeaders())) headers.set(key, value);
    }
    return headers;
  }

  /** @internal Replaces `entry` by `next` (version bumped), compare-and-set. False: another tab changed it. */
  async update(entry: OutboxEntry, next: OutboxEntry): Promise<boolean> {
    const stored = { ...next, version: entry.version + 1 };
    const ok = await this.save(stored, entry.version);
    if (ok && stored.status !== entry.status) this.notify(stored.id, stored.status);
    return ok;
  }

  /** @internal A delivered write: removed for good. */
  async finish(entry: OutboxEntry, state: 'sent'): Promise<void> {
    await this.remove(entry.id);
    this.remember(entry.id, state);
    this.changed(true, { [entry.id]: state });
  }

  /** @internal Tells listeners and other tabs. */
  changed(broadcast: boolean, settled?: Record<string, WriteState>): void {
    if (broadcast) this.channel?.postMessage(settled ? { settled } : {});
    this.events.emit('changed', { persistence: this.persistence });
  }

  /** @internal The backoff before retry `retry` (0 for the first). */
  backoff(retry: number): number {
    const { baseMs = DEFAULTS.outbox.backoff.baseMs, capMs = DEFAULTS.outbox.backoff.capMs } =
      this.options.backoff ?? {};
    return fullJitter({ retry, baseMs, capMs, previousMs: 0, random: this.host.random });
  }

  /** @internal The longest backoff: no wait is longer, whatever the wall clock did. */
  get maxWaitMs(): number {
    return this.options.backoff?.capMs ?? DEFAULTS.outbox.backoff.capMs;
  }

  /** @internal Reads the shared outbox again (another tab changed it, or a claim lost a race). */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = this.readAll().finally(() => {
      this.reloading = undefined;
      if (this.reloadAgain) {
        this.reloadAgain = false;
        void this.reload();
      }
    });
    return this.reloading;
  }

  // ——— private ———

  /** A first attempt the app's own call is making: not a waiting write (until it fails). */
  private isLive(e: OutboxEntry): boolean {
    return e.live === true && (e.tab !== this.tab || this.inFlight.has(e.id));
  }

  private position(entry: OutboxEntry): number {
    return this.waiting(entry.orderKey ?? entry.dependency).filter((e) => !this.isLive(e)).length;
  }

  private async settle(id: string, how: 'discarded' | 'theirs'): Promise<void> {
    await this.ready;
    const entry = this.entries.get(id);
    if (!entry || entry.status === 'sending') return;
    if (how === 'theirs' && entry.status !== 'conflict') return;
    // Only the version this tab saw: another tab may have claimed it meanwhile (then nothing is discarded).
    if (!(await this.remove(id, entry.version))) return;
    this.remember(id, 'discarded');
    this.events.emit('discarded', { entry, reason: how });
    this.changed(true, { [id]: 'discarded' });
    void this.drain(entry.dependency);
  }

  private async requeue(
    id: string,
    allowed: (e: OutboxEntry) => boolean,
    edit: (e: OutboxEntry) => OutboxEntry,
  ): Promise<void> {
    await this.ready;
    const entry = this.entries.get(id);
    if (!entry || !allowed(entry)) return;
    const now = this.host.clock.now();
    await this.update(entry, { ...edit(entry), status: 'queued', nextAttemptAt: now, waitMs: 0 });
    this.changed(true);
    void this.drain(entry.dependency);
  }

  private nextSeq(): number {
    // Unique across tabs sharing the database: time-ordered, with a counter for the same millisecond.
    this.seq = Math.max(this.seq + 1, this.host.clock.now() * 1000);
    return this.seq;
  }

  private remember(id: string, state: WriteState): void {
    this.finals.delete(id);
    this.finals.set(id, state);
    if (this.finals.size > REMEMBERED) this.finals.delete(this.finals.keys().next().value as string);
    this.notify(id, state);
  }

  private notify(id: string, state: WriteState): void {
    for (const listener of [...(this.watchers.get(id) ?? [])]) listener(state);
  }

  private async withBusy<T>(id: string, run: () => Promise<T>): Promise<T> {
    this.busy.set(id, (this.busy.get(id) ?? 0) + 1);
    try {
      return await run();
    } finally {
      const left = (this.busy.get(id) ?? 1) - 1;
      if (left === 0) this.busy.delete(id);
      else this.busy.set(id, left);
    }
  }

  /** Stores `entry` if the disk holds version `expected`; in memory (and owed) while storage fails. */
  private async save(entry: OutboxEntry, expected: number | undefined): Promise<boolean> {
    const before = this.entries.get(entry.id);
    this.entries.set(entry.id, entry);
    if (this.degraded) {
      this.owed.set(entry.id, entry);
      return true;
    }
    const stored = await this.withBusy(entry.id, async () => {
      try {
        if (await this.storage.put(entry, expected)) {
          this.onDisk.set(entry.id, entry.version);
          return true;
        }
      } catch (error) {
        this.owe(entry.id, entry, error);
        return true;
      }
      // Another tab changed it first: its copy wins (unless this tab moved on meanwhile).
      if (this.entries.get(entry.id) === entry) {
        if (before) this.entries.set(entry.id, before);
        else this.entries.delete(entry.id);
      }
      return false;
    });
    // Read it once the entry is no longer busy here, so the read takes the other tab's copy.
    if (!stored) await this.readAll();
    return stored;
  }

  /** Removes `id` (only at version `expected`, when given); false when another tab changed it first. */
  private async remove(id: string, expected?: number): Promise<boolean> {
    const before = this.entries.get(id);
    this.entries.delete(id);
    if (this.degraded) {
      this.owed.set(id, null);
      return true;
    }
    const removed = await this.withBusy(id, async () => {
      try {
        if (!(await this.storage.remove(id, expected))) return false;
        this.onDisk.delete(id);
      } catch (error) {
        this.owe(id, null, error);
      }
      return true;
    });
    if (!removed) {
      if (before && !this.entries.has(id)) this.entries.set(id, before);
      await this.readAll();
    }
    return removed;
  }

  /** A storage operation failed: keep it owed, say so, and try again with backoff. */
  private owe(id: string, entry: OutboxEntry | null, error: unknown): void {
    this.owed.set(id, entry);
    this.events.emit('storage-error', { error });
    if (this.storageRetry) return;
    this.retryStorage(0);
    this.changed(false);
  }

  private retryStorage(attempt: number): void {
    if (this.disposed) return;
    const wait = Math.min(30_000, 1_000 * 2 ** attempt);
    const timer = this.host.clock.setTimeout(() => void this.payOwed(attempt), wait);
    this.storageRetry = { timer, attempt };
  }

  private async payOwed(attempt: number): Promise<void> {
    try {
      for (const [id, entry] of [...this.owed]) {
        if (entry === null) {
          await this.storage.remove(id);
          this.onDisk.delete(id);
        } else if (await this.storage.put(entry, this.onDisk.get(id))) {
          this.onDisk.set(id, entry.version);
        }
        // A put refused: another tab changed (or delivered) it meanwhile; its copy wins at the read below.
        if (this.owed.get(id) === entry) this.owed.delete(id);
      }
    } catch (error) {
      this.events.emit('storage-error', { error });
      return this.retryStorage(attempt + 1);
    }
    this.storageRetry = undefined;
    if (this.owed.size > 0) return this.payOwed(0);
    await this.readAll();
    this.changed(true);
    void this.drain();
  }

  /** Reads the stored entries into this tab's view; entries with operations in flight or owed keep ours. */
  private async readAll(): Promise<void> {
    let stored: OutboxEntry[];
    try {
      stored = await this.storage.all();
    } catch (error) {
      this.events.emit('storage-error', { error });
      if (!this.storageRetry && this.storage.persistence === 'indexeddb') {
        this.retryStorage(0);
        this.changed(false);
      }
      return;
    }
    const seen = new Set<string>();
    for (const raw of stored) {
      // Entries stored before versions existed read as version 0.
      const e = raw.version === undefined ? { ...raw, version: 0 } : raw;
      seen.add(e.id);
      this.seq = Math.max(this.seq, e.seq);
      if (this.busy.has(e.id) || this.owed.has(e.id)) continue;
      // Not being written here: the stored copy is the truth, newer or not (a refused write of ours lost).
      this.onDisk.set(e.id, e.version);
      const mine = this.entries.get(e.id);
      if (mine?.version === e.version && mine.status === e.status) continue;
      this.entries.set(e.id, e);
      if (mine?.status !== e.status) this.notify(e.id, e.status);
    }
    for (const [id] of this.entries) {
      // Gone from the disk after we saw it there: another tab delivered or discarded it.
      if (seen.has(id) || this.busy.has(id) || this.owed.has(id) || !this.onDisk.has(id)) continue;
      this.entries.delete(id);
      this.onDisk.delete(id);
      this.inFlight.delete(id);
      if (!this.finals.has(id)) this.remember(id, 'sent');
    }
  }

  private afterReload(): void {
    this.changed(false);
    void this.drain();
  }
}
