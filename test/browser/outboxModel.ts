// The outbox's model test, the machinery: a page clock with wall-clock steps, "tabs" that can crash at any
// await, storage that can fail, a server that applies each idempotency key once, and a driver that plays a
// schedule and then checks what must be true. Real outbox, real client, real IndexedDB, real
// BroadcastChannel and Web Locks (Chromium); only time is virtual.
import {
  type Brownout,
  type Clock,
  createClient,
  createIndexedDbOutboxStorage,
  createManualEnvironment,
  createMemoryCache,
  createSeededRandom,
  getQueuedWrite,
  type OutboxEntry,
  type OutboxStorage,
} from '../../src/index.js';

// ── Time ─────────────────────────────────────────────────────────────────────────────────────────────

/** Virtual time for timers (monotonic), and a wall clock (`now()`) that can be stepped. */
export class PageClock implements Clock {
  mono = 0;
  offset = Date.UTC(2026, 0, 1);
  private id = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();
  now = (): number => this.mono + this.offset;
  monotonic = (): number => this.mono;
  setTimeout = (callback: () => void, ms: number): number => {
    const id = this.id++;
    this.timers.set(id, { at: this.mono + (Number.isFinite(ms) && ms > 0 ? ms : 0), callback });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };
  /** The wall clock jumps (NTP, the user, a VM resumed); timers do not. */
  step(ms: number): void {
    this.offset += ms;
  }
  /** Runs timers due within `ms`, one at a time, letting the page go quiet after each. */
  async run(ms: number, quiet: () => Promise<void>): Promise<void> {
    const until = this.mono + ms;
    for (;;) {
      await quiet();
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const t of this.timers) if (t[1].at <= until && (!next || t[1].at < next[1].at)) next = t;
      if (!next) break;
      this.timers.delete(next[0]);
      this.mono = Math.max(this.mono, next[1].at);
      next[1].callback();
    }
    this.mono = until;
    await quiet();
  }
}

// ── Quiet: nothing in flight ─────────────────────────────────────────────────────────────────────────

let active = 0;
// Operations waiting on virtual time (a slow server): they cannot end before the clock moves.
let asleep = 0;
const labels = new Map<number, string>();
let labelId = 0;
/** Counts `p` as work in flight until it settles. */
const track = <T>(p: Promise<T>, label = '?'): Promise<T> => {
  active++;
  const id = labelId++;
  labels.set(id, label);
  return p.finally(() => {
    active--;
    labels.delete(id);
  });
};
const turn = (() => {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  // A macrotask without setTimeout's 4 ms clamp.
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(0);
    });
})();

/** Waits for `until`, which only virtual time brings: quiet does not wait for it. */
const dozing = async <T>(until: Promise<T>): Promise<T> => {
  asleep++;
  try {
    return await until;
  } finally {
    asleep--;
  }
};

/** A BroadcastChannel that counts messages not yet delivered, so "quiet" includes other tabs hearing. */
export function countBroadcasts(): () => void {
  const Real = globalThis.BroadcastChannel;
  const open = new Map<string, Set<Counting>>();
  class Counting extends Real {
    inbox = 0;
    private handler: ((e: MessageEvent) => void) | null = null;
    constructor(name: string) {
      super(name);
      const set = open.get(name) ?? new Set();
      open.set(name, set);
      set.add(this);
      super.onmessage = (e: MessageEvent) => {
        this.inbox--;
        active--;
        this.handler?.(e);
      };
    }
    override set onmessage(fn: ((e: MessageEvent) => void) | null) {
      this.handler = fn;
    }
    override get onmessage(): ((e: MessageEvent) => void) | null {
      return this.handler;
    }
    override postMessage(message: unknown): void {
      for (const other of open.get(this.name) ?? []) {
        if (other === this) continue;
        other.inbox++;
        active++;
      }
      super.postMessage(message);
    }
    override close(): void {
      open.get(this.name)?.delete(this);
      active -= this.inbox;
      this.inbox = 0;
      super.close();
    }
  }
  globalThis.BroadcastChannel = Counting as typeof BroadcastChannel;
  return () => {
    globalThis.BroadcastChannel = Real;
  };
}

/** Until nothing is in flight for a few turns in a row (storage, requests, messages between tabs). */
export async function quiet(): Promise<void> {
  const give = performance.now() + 15_000;
  for (let idle = 0; idle < 3; ) {
    await turn();
    idle = active - asleep === 0 ? idle + 1 : 0;
    if (performance.now() > give) {
      throw new Error(`never quiet: ${active} in flight: ${[...labels.values()].join(', ')}`);
    }
  }
}

// ── The server ───────────────────────────────────────────────────────────────────────────────────────

export type ServerMode = 'up' | 'down' | 'unauthorized' | 'lost-ack' | 'slow';

export interface Effect {
  readonly tag: string;
  readonly key: string;
  readonly resource: string;
}

/** A server that honours Idempotency-Key: each key takes effect once; a key still processing gets 409. */
export class ServerModel {
  mode: ServerMode = 'up';
  readonly effects: Effect[] = [];
  readonly requests: { key: string; tag: string; at: number; tab: number }[] = [];
  /** Each tag's answers, by status (0: the connection failed). */
  readonly answers = new Map<string, number[]>();
  private readonly keys = new Map<string, 'processing' | 'done'>();
  constructor(private readonly clock: PageClock) {}

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const tag = new Headers(init.headers).get('x-model-write') ?? '';
    const answers = this.answers.get(tag) ?? [];
    this.answers.set(tag, answers);
    try {
      const response = await this.answer(input, init);
      answers.push(response.status);
      return response;
    } catch (error) {
      answers.push(0);
      throw error;
    }
  };

  private answer = async (input: RequestInfo | URL, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers);
    const key = headers.get('idempotency-key') ?? '';
    const tag = headers.get('x-model-write') ?? '';
    const resource = new URL(String(input)).pathname;
    this.requests.push({ key, tag, at: this.clock.mono, tab: Number(headers.get('x-model-tab')) });
    const mode = this.mode;
    if (mode === 'down') return problem(503, 'Service Unavailable');
    // A key already done answers as it did, whatever else changed (Stripe's rule): no second effect.
    const known = this.keys.get(key);
    if (known === 'done') return new Response('{"ok":true}', { status: 200 });
    if (known === 'processing') return problem(409, 'This request is still being processed');
    if (mode === 'unauthorized') return problem(401, 'Unauthorized');
    this.keys.set(key, 'processing');
    if (mode === 'slow') await dozing(new Promise<void>((resolve) => this.clock.setTimeout(resolve, 3_000)));
    this.effects.push({ tag, key, resource });
    this.keys.set(key, 'done');
    if (mode === 'lost-ack') throw new TypeError('Failed to fetch');
    return new Response('{"ok":true}', { status: 200 });
  };
}

const problem = (status: number, title: string): Response =>
  new Response(JSON.stringify({ title, status }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

// ── Tabs ─────────────────────────────────────────────────────────────────────────────────────────────

const never = <T>(): Promise<T> => new Promise<T>(() => {});

/** What the driver learns of one write the app made. */
export interface Write {
  readonly tag: string;
  readonly tab: Tab;
  readonly resource: string;
  /** The order the app made them in (a counter across tabs: the driver makes one at a time). */
  readonly n: number;
  outcome: 'pending' | 'sent' | 'queued' | 'error';
  /** The tab's outbox kept writes in memory only (storage failing) when this one was made or stored. */
  memoryOnly: boolean;
}

export interface Counters {
  schedules: number;
  writes: number;
  effects: number;
  crashes: number;
  storageFaults: number;
  clockSteps: number;
  freezes: number;
  tabs: number;
  requests: number;
  withoutLocks: number;
}

/**
 * One page of the app: a client with its outbox over IndexedDB. Crashing it at an await point stops it dead:
 * the operation under way may or may not have happened (a transaction committed, a request reached the
 * server), nothing after it runs, and its timers, channel and lock go as the browser's would.
 */
export class Tab {
  crashed = false;
  private die = (): void => {};
  /** Settles when the tab crashes (what it was waiting for never comes). */
  readonly died = new Promise<void>((resolve) => {
    this.die = resolve;
  });
  /** Crash when this many more await points have been reached. */
  crashIn = Number.POSITIVE_INFINITY;
  /** Storage operations that will throw (quota), from now. */
  failStorage = 0;
  /** While set, the tab is frozen (a background tab, a debugger): its awaits resume only when it thaws. */
  private frozen: Promise<void> | undefined;

  /** It has been frozen: on thawing it may resend, under its key, a write another tab took over. */
  wasFrozen = false;

  /** Frozen now: no one clicks in a frozen tab. */
  get isFrozen(): boolean {
    return this.frozen !== undefined;
  }
  readonly client: Brownout<'orders'>;
  readonly storage: OutboxStorage;

  constructor(
    readonly world: World,
    readonly index: number,
    locks: boolean,
  ) {
    const real = createIndexedDbOutboxStorage(world.db);
    this.storage = {
      persistence: 'indexeddb',
      all: () => this.gate(() => this.faulty(() => real.all()), false, 'all'),
      put: (entry, expected) =>
        this.gate(
          () =>
            this.faulty(async () => {
              const ok = await real.put(entry, expected);
              if (ok) world.diskCopy.set(entry.id, entry);
              world.log.push(
                `${world.clock.mono} t${index} put ${tagOf(entry)} ${entry.status} v${entry.version}${ok ? '' : ' refused'}`,
              );
              if (ok && expected === undefined) world.stored.add(tagOf(entry));
              return ok;
            }),
          true,
          'put',
        ),
      remove: (id, expected) =>
        this.gate(
          () =>
            this.faulty(async () => {
              const entry = world.diskCopy.get(id);
              const removed = await real.remove(id, expected);
              if (entry && removed) world.removed.set(entry.idempotencyKey, world.clock.mono);
              world.log.push(
                `${world.clock.mono} t${index} remove ${entry ? tagOf(entry) : id}${removed ? '' : ' refused'}`,
              );
              return removed;
            }),
          true,
          'remove',
        ),
      close: () => real.close?.(),
    };
    this.client = createClient({
      clock: world.clock,
      random: createSeededRandom(world.seed * 31 + index),
      environment: createManualEnvironment(),
      shareHealth: false,
      // Keys and trace context go to the API's origin (not the page's).
      allowedOrigins: ['https://api.test'],
      cache: createMemoryCache(),
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('x-model-tab', String(index));
        return this.gate(() => world.server.fetch(input, { ...init, headers }), true, 'fetch');
      },
      outbox: {
        storage: this.storage,
        databaseName: world.db,
        // The page waits for what Web Locks answer (a grant, a query), so quiet includes them.
        locks: locks ? trackedLocks() : null,
        getHeaders: () => this.gate(async () => ({ Authorization: 'Bearer token' }), false, 'headers'),
      },
      dependencies: {
        orders: {
          baseUrl: 'https://api.test',
          writes: 'queue',
          retry: { maxAttempts: 2, baseMs: 100, capMs: 1_000 },
          timeouts: { totalMs: 10_000, headersMs: 5_000 },
          breaker: { consecutiveFailures: 3, openMs: 5_000 },
        },
      },
    });
  }

  get alive(): boolean {
    return !this.crashed;
  }

  /** The app writes: a PUT or POST of one resource, tagged so effects trace back to it. */
  write(resource: string, method: 'PUT' | 'POST', n: number): Write {
    const tag = `w${n}`;
    this.world.log.push(`${this.world.clock.mono} t${this.index} writes ${tag}`);
    const write: Write = {
      tag,
      tab: this,
      resource,
      n,
      outcome: 'pending',
      memoryOnly: this.client.outbox!.persistence === 'memory',
    };
    void this.client
      .fetch('orders', `/items/${resource}`, {
        method,
        body: JSON.stringify({ tag }),
        headers: { 'content-type': 'application/json', 'x-model-write': tag },
      })
      .then(
        (response) => {
          // A dead page hears nothing (its calls end with dispose() here, never in a real crash).
          if (this.crashed) return;
          write.outcome = getQueuedWrite(response) ? 'queued' : 'sent';
          this.world.log.push(`${this.world.clock.mono} t${this.index} ${tag} ${write.outcome}`);
        },
        (error: unknown) => {
          if (this.crashed) return;
          write.outcome = 'error';
          this.world.log.push(`${this.world.clock.mono} t${this.index} ${tag} error ${String(error)}`);
        },
      )
      .finally(() => {
        if (this.client.outbox!.persistence === 'memory') write.memoryOnly = true;
      });
    return write;
  }

  /** Freezes for `ms` of page time: what it awaits comes back only then, with whatever it believed before. */
  freeze(ms: number): void {
    const thaw = new Promise<void>((resolve) => this.world.clock.setTimeout(resolve, ms));
    this.frozen = thaw;
    this.wasFrozen = true;
    void thaw.then(() => {
      if (this.frozen === thaw) this.frozen = undefined;
    });
  }

  /** Dies now: nothing more runs; the browser lets go of its lock, channel and database. */
  crash(): void {
    if (this.crashed) return;
    this.crashed = true;
    this.die();
    this.world.log.push(`${this.world.clock.mono} crash t${this.index}`);
    this.world.counters.crashes++;
    this.client.dispose();
  }

  private async faulty<T>(op: () => Promise<T>): Promise<T> {
    if (this.failStorage > 0) {
      this.failStorage--;
      this.world.counters.storageFaults++;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return op();
  }

  /**
   * An await point of this tab. When the crash comes due here, the operation may happen (`mayHappen`: a
   * commit, a request that reached the server) or not, and its result never returns.
   */
  private gate<T>(op: () => Promise<T>, mayHappen: boolean, label = '?'): Promise<T> {
    if (this.crashed) return never();
    if (--this.crashIn <= 0) {
      const happens = mayHappen && this.world.random() < 0.5;
      this.crash();
      if (happens) void track(op(), label).catch(() => {});
      return never();
    }
    const dead = Symbol('dead');
    const run = async (): Promise<T | typeof dead> => {
      if (this.frozen) await dozing(this.frozen);
      // Died while frozen: it never got to do it.
      if (this.crashed) return dead;
      const value = await op();
      if (this.frozen) await dozing(this.frozen);
      return value;
    };
    return track(run(), label).then(
      (value) => (this.crashed || value === dead ? never<T>() : (value as T)),
      (error: unknown) => (this.crashed ? never<T>() : Promise.reject(error)),
    );
  }
}

/** Web Locks, with each grant and query counted as work in flight until it comes. */
function trackedLocks(): Pick<LockManager, 'request' | 'query'> {
  const request = (name: string, a: unknown, b?: unknown): Promise<unknown> => {
    const callback = (typeof a === 'function' ? a : b) as (lock: Lock | null) => unknown;
    let granted = (): void => {};
    void track(new Promise<void>((resolve) => (granted = resolve)), 'lock');
    const wrapped = (lock: Lock | null) => {
      granted();
      return callback(lock);
    };
    return typeof a === 'function'
      ? navigator.locks.request(name, wrapped)
      : navigator.locks.request(name, a as LockOptions, wrapped);
  };
  return { request: request as LockManager['request'], query: () => track(navigator.locks.query(), 'locks') };
}

const tagOf = (entry: OutboxEntry): string => entry.headers.find(([k]) => k === 'x-model-write')?.[1] ?? '';

/** One schedule's page: its clock, server, database, tabs and writes. */
export class World {
  readonly clock = new PageClock();
  readonly server = new ServerModel(this.clock);
  readonly tabs: Tab[] = [];
  readonly writes: Write[] = [];
  /** Tags whose entry was committed to IndexedDB. */
  readonly stored = new Set<string>();
  /** When each key's entry was removed from IndexedDB (after which no one may send it again). */
  readonly removed = new Map<string, number>();
  /** The last committed copy of each entry as seen by the driver (for the key of a removed entry). */
  readonly diskCopy = new Map<string, OutboxEntry>();
  readonly random: () => number;
  /** What happened, for a failure's report. */
  readonly log: string[] = [];

  constructor(
    readonly seed: number,
    readonly db: string,
    readonly counters: Counters,
    readonly locks: boolean,
  ) {
    this.random = createSeededRandom(seed);
  }

  open(): Tab {
    const tab = new Tab(this, this.tabs.length, this.locks);
    this.tabs.push(tab);
    this.counters.tabs++;
    const tagged = (e: { entry: OutboxEntry }) => tagOf(e.entry);
    const o = tab.client.outbox!;
    const at = () => this.clock.mono;
    this.log.push(`${at()} open t${tab.index}`);
    o.events.on('queued', (e) => this.log.push(`${at()} t${tab.index} queued ${tagged(e)}`));
    o.events.on('sending', (e) => this.log.push(`${at()} t${tab.index} sending ${tagged(e)}`));
    o.events.on('replayed', (e) => this.log.push(`${at()} t${tab.index} replayed ${tagged(e)}`));
    o.events.on('needs-auth', (e) => this.log.push(`${at()} t${tab.index} needs-auth ${tagged(e)}`));
    o.events.on('storage-error', () => this.log.push(`${at()} t${tab.index} storage-error`));
    tab.client.on('breaker', (e) => this.log.push(`${at()} t${tab.index} breaker ${e.to.state}`));
    return tab;
  }

  alive(): Tab[] {
    return this.tabs.filter((t) => t.alive);
  }

  /** Reads what IndexedDB holds now (outside any tab). */
  async disk(): Promise<OutboxEntry[]> {
    const reader = createIndexedDbOutboxStorage(this.db);
    const all = await track(reader.all());
    reader.close?.();
    for (const e of all) this.diskCopy.set(e.id, e);
    return all;
  }

  dispose(): void {
    for (const tab of this.tabs) if (!tab.crashed) tab.client.dispose();
  }
}
