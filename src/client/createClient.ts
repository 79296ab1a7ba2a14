import {
  type BrownoutClient,
  type BrownoutFetch,
  type BrownoutRequestInit,
  type ClientOptions,
  createCoreClient,
  readJson,
} from '../core/index.js';
import { checkClientKeys } from '../core/options.js';
import type { Outbox, OutboxOptions } from '../outbox/index.js';
import {
  createDegradationStore,
  type DegradationStore,
  type DegradationStoreOptions,
} from '../store/index.js';
import { defaultCache } from './defaultCache.js';
import { createOutbox, replayOnReturn } from './outboxHost.js';
import { type ShareHealthOptions, shareHealth } from './shareHealth.js';
import { writeQueueStep } from './writeQueue.js';

export type { QueuedWrite } from './queuedWrites.js';
export { getQueuedWrite } from './queuedWrites.js';

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

/** A client with its degradation store and outbox. */
export interface Brownout<Name extends string = string> extends BrownoutClient<Name> {
  /** The zustand store of health, levels, freshness and queued writes the UI reads. */
  readonly store: DegradationStore;
  /** The outbox of queued writes (present when a dependency has `writes: 'queue'`). */
  readonly outbox: Outbox | undefined;
}

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
  const outbox =
    queueing.length === 0 ? undefined : createOutbox(core, coreFetch, options.random, outboxOptions);
  const store = createDegradationStore(core as BrownoutClient, storeOptions, outbox);
  const stopSharing =
    share === false ? () => {} : shareHealth(core as BrownoutClient, share === true ? {} : share);
  const stopReplay = outbox ? replayOnReturn(core, outbox, queueing) : () => {};
  const fetchOrQueue = writeQueueStep(core, coreFetch, outbox);

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
      stopReplay();
      outbox?.dispose();
      store.dispose();
      dispose();
    },
  });
  return client;
}
