import { answerOf, DEFAULTS, isBrownoutError } from '../core/index.js';
import type { Outbox } from './Outbox.js';
import type { OutboxEntry } from './types.js';

/** What the browser lets `keepalive` requests carry in all while a page goes away. */
const KEEPALIVE_BYTES = 64 * 1024;
/** How long replay waits when the outbox's retry budget is spent. */
const BUDGET_WAIT_MS = DEFAULTS.outbox.budgetWaitMs;

const hasPrecondition = (entry: OutboxEntry): boolean =>
  entry.headers.some(([k]) => /^if-(match|unmodified-since)$/i.test(k));
const sizeOf = (entry: OutboxEntry): number => {
  const body = entry.body;
  if (!body) return 0;
  if (body.kind === 'bytes') return body.bytes.byteLength;
  if (body.kind === 'form') return body.fields.reduce((n, [k, v]) => n + k.length + v.length, 0);
  return body.text.length * 3;
};
/** An entry without a sender's claim. */
export const unclaimed = (entry: OutboxEntry): OutboxEntry => {
  const { tab: _tab, leaseUntil: _lease, live: _live, ...rest } = entry;
  return rest;
};

/**
 * The replay side of the outbox: one drain per order key, FIFO, with the entry claimed (compare-and-set)
 * before it is sent, its claim renewed while it is sent, and the answer turned into the entry's next state.
 */
export class Replayer {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: unknown }>();
  private readonly renewals = new Map<string, unknown>();
  private readonly done = new Map<string, () => void>();
  // When each queued entry's wait ends, on the monotonic clock (by id and version).
  private readonly waits = new Map<string, number>();
  // Other tabs' claims this tab watches: the version seen, and whether a whole lease passed without renewal.
  private readonly claims = new Map<string, { version: number; ripe: boolean; timer: unknown }>();
  // Dependencies that recovered: their queued entries go now, whatever backoff they were waiting out.
  private readonly woken = new Set<string>();

  constructor(private readonly o: Outbox) {}

  /** This tab is sending `id`: others wait for it, and its claim is renewed until `untrack`. */
  track(id: string): void {
    if (this.o.inFlight.has(id)) return;
    this.o.inFlight.set(
      id,
      new Promise<void>((resolve) => {
        this.done.set(id, resolve);
      }),
    );
    this.renew(id);
  }

  untrack(id: string): void {
    this.o.host.clock.clearTimeout(this.renewals.get(id));
    this.renewals.delete(id);
    this.o.inFlight.delete(id);
    this.done.get(id)?.();
    this.done.delete(id);
  }

  drain(dependency?: string): Promise<void> {
    if (this.o.disposed) return Promise.resolve();
    const groups = new Set<string>();
    for (const e of this.o.entries.values()) {
      if (dependency === undefined || e.dependency === dependency) groups.add(e.orderKey ?? e.dependency);
    }
    return Promise.all([...groups].map((g) => this.drainGroup(g))).then(() => {});
  }

  wake(dependency: string): Promise<void> {
    this.woken.add(dependency);
    return this.drain(dependency);
  }

  schedule(group: string, at: number): void {
    if (this.o.disposed) return;
    const now = this.o.host.clock.now();
    const current = this.timers.get(group);
    if (current && current.at <= at) return;
    if (current) this.o.host.clock.clearTimeout(current.timer);
    const timer = this.o.host.clock.setTimeout(
      () => {
        this.timers.delete(group);
        void this.drainGroup(group);
      },
      Math.max(0, at - now),
    );
    this.timers.set(group, { at, timer });
  }

  /**
   * A send of `id` failed with `error` (thrown by the host, so any value): the entry's next state, stored.
   * `undefined` when another tab holds a newer copy (it took the write over).
   */
  async failed(id: string, error: unknown, how: { first?: boolean } = {}): Promise<OutboxEntry | undefined> {
    const entry = this.o.entries.get(id);
    if (!entry) return undefined;
    // Counted from now, the end of the failed attempt: a slow failure still waits its whole backoff.
    const now = this.o.host.clock.now();
    const e = isBrownoutError(error) ? error : undefined;
    const lastProblem = e
      ? e.toJSON()
      : { title: 'The change could not be sent', detail: String((error as Error)?.message ?? error) };
    const base = { ...unclaimed(entry), lastProblem };
    // The one failure model reads the answer; the first (live) attempt's 401/403 and offline are the caller's.
    const answer = answerOf(error, { precondition: hasPrecondition(entry) });
    let next: OutboxEntry;
    if (!e || answer === 'rejected' || (answer === 'auth' && how.first)) next = { ...base, status: 'failed' };
    else if (answer === 'auth') next = { ...base, status: 'needs-auth' };
    else if (answer === 'conflict') next = { ...base, status: 'conflict' };
    else if (answer === 'offline' && !how.first) {
      // The device went offline during the send: back as it was, replayed on return.
      next = { ...base, status: 'queued', attempts: Math.max(0, entry.attempts - 1) };
    } else {
      this.woken.delete(entry.dependency);
      const wait = Math.min(
        this.o.maxWaitMs,
        Math.max(this.o.backoff(Math.max(0, entry.attempts - 1)), (e.retryAt ?? 0) - now),
      );
      next = { ...base, status: 'queued', nextAttemptAt: now + wait, waitMs: wait };
    }
    if (!(await this.o.update(entry, next))) return undefined;
    const stored = this.o.entries.get(id) ?? next;
    if (stored.status === 'needs-auth') this.o.events.emit('needs-auth', { entry: stored });
    if (stored.status === 'failed') this.o.events.emit('failed', { entry: stored });
    if (stored.status === 'conflict') this.o.events.emit('conflict', { entry: stored });
    if (stored.status === 'queued') this.schedule(stored.orderKey ?? stored.dependency, stored.nextAttemptAt);
    return stored;
  }

  /** See {@link Outbox.leave}. */
  leave(): void {
    const { o } = this;
    if (o.disposed || (o.host.online && !o.host.online())) return;
    let bytes = 0;
    const groups = new Set([...o.entries.values()].map((e) => e.orderKey ?? e.dependency));
    for (const group of groups) {
      const head = o.waiting(group)[0];
      if (head?.status !== 'queued') continue;
      if ((o.host.blockedUntil?.(head.dependency) ?? 0) > o.host.clock.now()) continue;
      bytes += sizeOf(head);
      if (bytes > KEEPALIVE_BYTES) break;
      void o
        .headersFor(head)
        .then((headers) => o.host.send(head, headers, { keepalive: true }))
        .catch(() => {});
    }
  }

  dispose(): void {
    for (const { timer } of this.timers.values()) this.o.host.clock.clearTimeout(timer);
    this.timers.clear();
    for (const id of [...this.renewals.keys()]) this.untrack(id);
    for (const { timer } of this.claims.values()) this.o.host.clock.clearTimeout(timer);
    this.claims.clear();
  }

  private drainGroup(group: string): Promise<void> {
    const running = this.running.get(group);
    if (running) {
      this.again.add(group);
      return running;
    }
    const run = this.o.ready
      .then(() => this.replay(group))
      .catch((error: unknown) => {
        // Never an unhandled rejection: say it, and try again later.
        this.o.events.emit('storage-error', { error });
        this.schedule(group, this.o.host.clock.now() + BUDGET_WAIT_MS);
      })
      .finally(() => {
        this.running.delete(group);
        if (this.again.delete(group)) void this.drainGroup(group);
      });
    this.running.set(group, run);
    return run;
  }

  private async replay(group: string): Promise<void> {
    const { o } = this;
    let lost: string | undefined;
    for (;;) {
      if (o.disposed) return;
      // Offline: wait for the host's drain on return, not for a timer that would fail again.
      if (o.host.online && !o.host.online()) return;
      const head = o.waiting(group)[0];
      if (!head || head.status === 'needs-auth') return;
      // This tab's own call is sending it (or is about to): it drains again when that ends.
      if (o.inFlight.has(head.id)) return;
      if (this.pausedForAuth(head.dependency)) return;
      if (o.host.knows && !o.host.knows(head.dependency)) {
        await this.unknown(head);
        continue;
      }
      const now = o.host.clock.now();
      if (head.status === 'sending') {
        // Another tab's claim: go on once it is known to be gone (the watch drains again then).
        if (!(await this.orphaned(head, group))) return;
      } else {
        const wait = this.waitFor(head, now);
        if (wait > 0 && !this.woken.has(head.dependency)) return this.schedule(group, now + wait);
      }
      // Its storage fails: a write other tabs can see waits until this tab can claim it safely.
      if (!o.canClaim(head)) return this.schedule(group, now + BUDGET_WAIT_MS);
      const blocked = o.host.blockedUntil?.(head.dependency);
      if (blocked !== undefined && blocked > now) return this.schedule(group, blocked);
      if (head.attempts > 0 && !o.budget.tryRetry()) return this.schedule(group, now + BUDGET_WAIT_MS);
      const claimed = await this.claim(head);
      if (!claimed) {
        // Lost the race to another tab twice: let its broadcast (or a later turn) bring this tab up to date.
        if (lost === head.id) return this.schedule(group, now + BUDGET_WAIT_MS);
        lost = head.id;
        continue;
      }
      if (!(await this.send(claimed))) return;
    }
  }

  /**
   * How long `entry` still waits. Its `nextAttemptAt` is wall-clock time (it is stored, and read by other
   * tabs); once this tab has seen the wait, its end is kept on the monotonic clock, so a wall clock stepped
   * back never stretches it (nor a step forward skip it here), and it is never longer than the wait it
   * stands for.
   */
  private waitFor(entry: OutboxEntry, now: number): number {
    const mono = this.mono();
    const key = `${entry.id}:${entry.version}`;
    let end = this.waits.get(key);
    if (end === undefined) {
      end = mono + Math.min(Math.max(0, entry.nextAttemptAt - now), entry.waitMs ?? this.o.maxWaitMs);
      this.waits.set(key, end);
      // Bounded: only the waits of entries still queued matter.
      if (this.waits.size > 1_000) this.waits.delete(this.waits.keys().next().value as string);
    }
    // Under a millisecond is due: timers do not resolve less, and fractions must not loop.
    return end - mono < 1 ? 0 : end - mono;
  }

  private mono(): number {
    const { clock } = this.o.host;
    return clock.monotonic ? clock.monotonic() : clock.now();
  }

  private pausedForAuth(dependency: string): boolean {
    for (const e of this.o.entries.values()) {
      if (e.dependency === dependency && e.status === 'needs-auth' && e.owner === this.o.replayOwner)
        return true;
    }
    return false;
  }

  /**
   * True when the tab that claimed `entry` is gone: its lock is free, or this tab has watched the claim
   * go unrenewed for a whole lease. Watched on this tab's timers, never on wall-clock times, so a clock
   * stepped back does not make a dead tab's claim last an hour, nor one stepped forward end a live one.
   */
  private async orphaned(entry: OutboxEntry, group: string): Promise<boolean> {
    const { o } = this;
    if (entry.tab === o.tab) return true;
    if (o.tabs && entry.tab !== undefined && !(await o.tabs.alive([entry.tab])).has(entry.tab)) return true;
    const seen = this.claims.get(entry.id);
    if (seen?.version === entry.version) return seen.ripe;
    if (seen) o.host.clock.clearTimeout(seen.timer);
    const watch = { version: entry.version, ripe: false, timer: undefined as unknown };
    watch.timer = o.host.clock.setTimeout(() => {
      void o.reload().then(() => {
        const now = o.entries.get(entry.id);
        if (this.claims.get(entry.id) !== watch) return;
        if (now?.status === 'sending' && now.version === watch.version) watch.ripe = true;
        else this.claims.delete(entry.id);
        void this.drainGroup(group);
      });
    }, o.leaseMs);
    this.claims.set(entry.id, watch);
    return false;
  }

  private async claim(head: OutboxEntry): Promise<OutboxEntry | undefined> {
    const now = this.o.host.clock.now();
    const claim: OutboxEntry = {
      ...unclaimed(head),
      status: 'sending',
      attempts: head.attempts + 1,
      tab: this.o.tab,
      leaseUntil: now + this.o.leaseMs,
    };
    this.track(head.id);
    if (await this.o.update(head, claim)) return this.o.entries.get(head.id);
    this.untrack(head.id);
    return undefined;
  }

  /** Sends a claimed entry; true when replay goes on with the next one. */
  private async send(entry: OutboxEntry): Promise<boolean> {
    const { o } = this;
    o.events.emit('sending', { entry });
    o.changed(true);
    let response: Response | undefined;
    let error: unknown;
    try {
      const headers = await o.headersFor(entry);
      try {
        response = await o.host.send(entry, headers);
      } catch (e) {
        error = e;
      }
    } catch (e) {
      // The app's credentials could not be had (a token refresh failed): wait and try again, not `failed`.
      error = new CredentialsError(e);
    }
    if (response) {
      this.untrack(entry.id);
      // Not awaited: a cancel can wait on the transport, and the answer is already known.
      response.body?.cancel().catch(() => {});
      const current = o.entries.get(entry.id) ?? entry;
      await o.finish(current, 'sent');
      o.budget.recordCall();
      o.events.emit('replayed', { entry: current, status: response.status });
      return true;
    }
    const next =
      error instanceof CredentialsError
        ? await this.later(entry.id, error)
        : await this.failed(entry.id, error);
    this.untrack(entry.id);
    o.changed(true);
    return next !== undefined && (next.status === 'failed' || next.status === 'conflict');
  }

  /** Back to the queue with backoff, the reason kept (a credentials failure). */
  private async later(id: string, error: CredentialsError): Promise<OutboxEntry | undefined> {
    const entry = this.o.entries.get(id);
    if (!entry) return undefined;
    const now = this.o.host.clock.now();
    const wait = this.o.backoff(Math.max(0, entry.attempts - 1));
    const next: OutboxEntry = {
      ...unclaimed(entry),
      status: 'queued',
      nextAttemptAt: now + wait,
      waitMs: wait,
      lastProblem: { title: 'Could not get credentials to send this change', detail: error.message },
    };
    if (!(await this.o.update(entry, next))) return undefined;
    this.schedule(next.orderKey ?? next.dependency, next.nextAttemptAt);
    return this.o.entries.get(id);
  }

  private async unknown(entry: OutboxEntry): Promise<void> {
    const next: OutboxEntry = {
      ...unclaimed(entry),
      status: 'failed',
      lastProblem: {
        title: 'Not sent: the app no longer has this service',
        detail: `No dependency named "${entry.dependency}" is declared. Discard the change, or declare the dependency again.`,
        code: 'outbox.unknown-dependency',
      },
    };
    if (await this.o.update(entry, next)) {
      this.o.events.emit('failed', { entry: this.o.entries.get(entry.id) ?? next });
      this.o.changed(true);
    }
  }

  /** Renews this tab's claim on `id` while it sends, so other tabs do not take it over. */
  private renew(id: string): void {
    const every = Math.max(1, Math.floor(this.o.leaseMs / 3));
    const timer = this.o.host.clock.setTimeout(() => {
      if (!this.o.inFlight.has(id)) return;
      const current = this.o.entries.get(id);
      if (current?.status === 'sending' && current.tab === this.o.tab) {
        void this.o
          .update(current, { ...current, leaseUntil: this.o.host.clock.now() + this.o.leaseMs })
          .catch(() => {});
      }
      this.renew(id);
    }, every);
    this.renewals.set(id, timer);
  }
}

/** `getHeaders()` rejected. */
class CredentialsError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
