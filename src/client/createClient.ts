import { createIndexedDbCache, createMemoryCache } from '../cache/index.js';
import {
  type BrownoutClient,
  type BrownoutError,
  type BrownoutFetch,
  type BrownoutRequestInit,
  type ClientOptions,
  classify,
  createCoreClient,
  createIdempotencyKey,
  isBrownoutError,
  type ResponseCache,
  readJson,
  systemRandom,
  withBaseUrl,
} from '../core/index.js';
import { checkClientKeys } from '../core/options.js';
import { freezeBody, Outbox, type OutboxEntry, type OutboxOptions, thawBody } from '../outbox/index.js';
import {
  createDegradationStore,
  type DegradationStore,
  type DegradationStoreOptions,
} from '../store/index.js';
import { type ShareHealthOptions, shareHealth } from './shareHealth.js';

/** What `createClient` takes: the core client's options plus the store's and the outbox's. */
export interface BrownoutOptions<Name extends string = string> extends ClientOptions<Name> {
  /** Options of the degradation store; see {@link DegradationStoreOptions}. */
  store?: DegradationStoreOptions;
  /** Options of the outbox for `writes: 'queue'` dependencies; see {@link OutboxOptions}. */
  outbox?: OutboxOptions;
  /**
   * Share breaker states and Retry-After holds with the app's other tabs (see {@link shareHealth}); `false`
   * keeps each tab to itself.
   * @default true in browsers, unless a `clock` is given (shared times are wall-clock times)
   */
  shareHealth?: boolean | ShareHealthOptions;
}

/** A write that was queued instead of sent: what the app shows ("1 change waiting to be sent"). */
export interface QueuedWrite {
  readonly entry: OutboxEntry;
  /** Its place among the dependency's queued writes, from 1. */
  readonly position: number;
}

/** A client with its degradation store and outbox. */
export interface Brownout<Name extends string = string> extends BrownoutClient<Name> {
  /** The zustand store of health, levels, freshness and queued writes the UI reads. */
  readonly store: DegradationStore;
  /** The outbox of queued writes (present when a dependency has `writes: 'queue'`). */
  readonly outbox: Outbox | undefined;
}

const queuedWrites = new WeakMap<Response, QueuedWrite>();

/**
 * The queued write behind a `202` response from a Brownout client, or `undefined` for a response that was
 * really sent.
 * @example
 * const r = await client.fetch('orders', '/api/orders', { method: 'POST', body });
 * const queued = getQueuedWrite(r); // { entry, position } → "1 change waiting to be sent"
 */
export const getQueuedWrite = (response: Response): QueuedWrite | undefined => queuedWrites.get(response);

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The default read cache: a memory LRU in front of IndexedDB where there is one, so the last good values
 * survive a reload (the prices stay); memory alone where IndexedDB is missing or fails.
 */
function defaultCache(): ResponseCache {
  const memory = createMemoryCache();
  if (typeof indexedDB === 'undefined') return memory;
  let broken = false;
  const disk = createIndexedDbCache({
    onError: () => {
      broken = true;
    },
  });
  return {
    get: async (key) => {
      const hit = memory.get(key);
      if (hit || broken) return hit;
      const stored = await disk.get(key);
      if (stored) memory.set(stored);
      return stored;
    },
    set: async (entry) => {
      memory.set(entry);
      if (!broken) await disk.set(entry);
    },
    delete: async (key) => {
      memory.delete(key);
      if (!broken) await disk.delete(key);
    },
    clear: async () => {
      memory.clear();
      if (!broken) await disk.clear();
    },
  };
}

function queuedResponse(queued: QueuedWrite): Response {
  const response = new Response(
    JSON.stringify({ queued: true, id: queued.entry.id, position: queued.position }),
    {
      status: 202,
      statusText: 'Accepted',
      headers: { 'content-type': 'application/json', 'x-brownout-queued': queued.entry.id },
    },
  );
  queuedWrites.set(response, { entry: queued.entry, position: queued.position });
  return response;
}

/** Keeps a bounded map: the oldest key goes first. */
function remember(map: Map<string, string>, key: string, value: string): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > 500) map.delete(map.keys().next().value as string);
}

// Failures after which a write waits in the outbox: the dependency is down or the network is; not a 4xx.
// The one failure model decides what may wait in the outbox: transient failures and refusals, not answers.
const isQueueable = (e: unknown): boolean => classify(e).queueable;

/**
 * Creates a Brownout client: every call to a named dependency gets deadlines, full-jitter retries of
 * transient failures only, a shared retry budget, a circuit breaker, a cached fallback for reads, an outbox
 * for writes, trace context and one error type with problem details; `client.store` holds what the UI
 * shows. Options are validated here: nonsense throws a `RangeError`/`TypeError` naming the dependency and
 * option.
 * @example
 * const client = createClient({ dependencies: { pricing: { baseUrl: '/api' } } });
 * const prices = await client.json<Price[]>('pricing', '/prices');
 * client.store.getState().level; // 'normal' | 'partial' | 'minimal' | 'cached' | 'maintenance'
 */
export function createClient<Name extends string>(options: BrownoutOptions<Name>): Brownout<Name> {
  // The composed client's own keys too, so that "stor" gets "did you mean store".
  if (options && typeof options === 'object') checkClientKeys(options, ['store', 'outbox', 'shareHealth']);
  const {
    store: storeOptions,
    outbox: outboxOptions,
    // Shared states carry wall-clock times: a client on a virtual clock (tests, simulations) keeps to itself.
    shareHealth: share = options?.clock === undefined,
    ...clientOptions
  } = options ?? ({} as BrownoutOptions<Name>);
  const core = createCoreClient<Name>({ ...clientOptions, cache: clientOptions.cache ?? defaultCache() });
  // The core's own fetch: the composed client replaces `fetch` on the same object below.
  const coreFetch = core.fetch;
  const queueing = core.dependencies.filter((d) => core.policy(d).writes === 'queue');
  const declared = new Set<string>(core.dependencies);
  const outbox =
    queueing.length === 0
      ? undefined
      : new Outbox(
          {
            clock: core.clock,
            random: options.random ?? systemRandom,
            online: () => core.environment.online(),
            knows: (d) => declared.has(d),
            // An open breaker or a server's hold: replay waits for its end instead of failing fast.
            blockedUntil: (d) => {
              const status = core.status(d as Name);
              return status.health === 'down' ? status.retryAt : undefined;
            },
            send: (entry, headers, extra) =>
              coreFetch(entry.dependency as Name, entry.url, {
                method: entry.method,
                headers,
                body: thawBody(entry.body),
                idempotencyKey: entry.idempotencyKey,
                maxAttempts: 1,
                ...(extra?.keepalive ? { keepalive: true } : {}),
              }),
          },
          outboxOptions,
        );
  const store = createDegradationStore(core as BrownoutClient, storeOptions, outbox);
  const stopSharing =
    share === false ? () => {} : shareHealth(core as BrownoutClient, share === true ? {} : share);

  // The ETag of the last read of each URL of an `ifMatch` dependency: its writes are based on it.
  const etags = new Map<string, string>();
  const absolute = (name: Name, url: string): string => {
    // Absolute before it is stored: a replay must not join the base URL a second time ('/api' + '/api/…'),
    // and a reload or another tab replays it from anywhere on the site.
    const joined = withBaseUrl(core.policy(name).baseUrl, url);
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    return base && URL.canParse(joined, base) ? new URL(joined, base).href : joined;
  };

  async function fetchOrQueue(
    name: Name,
    input: RequestInfo | URL,
    init: BrownoutRequestInit = {},
  ): Promise<Response> {
    const request = input instanceof Request ? input : undefined;
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const policy = core.policy(name);
    if (!outbox || policy.writes !== 'queue' || !WRITE_METHODS.has(method)) {
      const response = await coreFetch(name, input, init);
      const etag = policy.ifMatch && method === 'GET' ? response.headers.get('etag') : null;
      if (etag) remember(etags, absolute(name, request ? request.url : String(input)), etag);
      return response;
    }
    // Frozen before the first try, so an unsupported body fails now, whatever the dependency's health.
    const body = await freezeBody(init.body ?? (request ? await request.clone().arrayBuffer() : null));
    const key = init.idempotencyKey ?? createIdempotencyKey();
    const url = request ? request.url : String(input);
    const fullUrl = absolute(name, url);
    const headers = new Headers(init.headers ?? request?.headers);
    const basedOn = policy.ifMatch ? etags.get(fullUrl) : undefined;
    if (basedOn && !headers.has('if-match')) headers.set('if-match', basedOn);
    const status = core.status(name);
    // Write-ahead: stored before the first attempt, so a tab closed at any instant loses nothing.
    const begun = await outbox.begin({
      dependency: name,
      method,
      url: fullUrl,
      body,
      headers,
      idempotencyKey: key,
      live: core.environment.online() && status.health !== 'down',
      ...(init.orderKey === undefined ? {} : { orderKey: init.orderKey }),
      ...(status.retryAt === undefined ? {} : { notBefore: status.retryAt }),
    });
    if (!begun.sendNow) return queuedResponse(begun);
    let response: Response;
    try {
      response = await coreFetch(name, request ? url : input, {
        ...init,
        method,
        headers,
        body: thawBody(body),
        idempotencyKey: key,
      });
    } catch (error) {
      // The client was disposed mid-send (a reload, a hot update): the write stays stored for the next load.
      if (isBrownoutError(error) && error.code === 'aborted.disposed') throw error;
      if (!isQueueable(error)) {
        await outbox.abandon(begun.entry.id);
        throw error;
      }
      return queuedResponse(await outbox.release(begun.entry.id, error as BrownoutError));
    }
    await outbox.acknowledge(begun.entry.id);
    return response;
  }

  // Replay when the dependency is back: its breaker closed after a probe, or any real call went through.
  const offs: (() => void)[] = [];
  if (outbox) {
    const hasQueued = (d: string) => outbox.summary(d).queued > 0;
    offs.push(
      core.on('breaker', (e) => {
        if (e.to.state === 'closed' && hasQueued(e.dependency)) void outbox.wake(e.dependency);
      }),
      core.on('success', (e) => {
        if (hasQueued(e.dependency)) void outbox.drain(e.dependency);
      }),
    );
    void outbox.ready.then(() => outbox.drain());
    // Back online: replay what waited (the outbox sends nothing while offline).
    offs.push(
      core.on('connectivity', (e) => {
        if (e.online) void outbox.drain();
      }),
    );
    // Writes kept only in this tab's memory are lost with it: the browser asks before the page goes away.
    const page = globalThis as {
      addEventListener?: (type: string, listener: (event: Event) => void) => void;
      removeEventListener?: (type: string, listener: (event: Event) => void) => void;
    };
    if (typeof page.addEventListener === 'function' && typeof page.removeEventListener === 'function') {
      const guard = (event: Event): void => {
        if (outbox.persistence !== 'memory') return;
        const waiting = queueing.some((d) => {
          const s = outbox.summary(d);
          return s.queued + s.sending + s.needsAuth > 0;
        });
        if (!waiting) return;
        event.preventDefault();
        // Older browsers ask only when returnValue is set.
        (event as { returnValue?: unknown }).returnValue = true;
      };
      page.addEventListener('beforeunload', guard);
      // Going away: each order key's next write is sent once with keepalive (it stays stored, same key).
      const leave = (): void => outbox.leave();
      page.addEventListener('pagehide', leave);
      offs.push(() => {
        page.removeEventListener?.('beforeunload', guard);
        page.removeEventListener?.('pagehide', leave);
      });
    }
  }

  const dispose = core.dispose;
  const client = Object.assign(core, {
    store,
    outbox,
    fetch: fetchOrQueue,
    json: async <T>(name: Name, input: RequestInfo | URL, init?: BrownoutRequestInit): Promise<T> =>
      readJson<T>(await fetchOrQueue(name, input, init), name),
    fetcher(name: Name): BrownoutFetch {
      core.policy(name);
      return (input, init) => fetchOrQueue(name, input, init);
    },
    dispose() {
      stopSharing();
      for (const off of offs) off();
      outbox?.dispose();
      store.dispose();
      dispose();
    },
  });
  return client;
}
