import { createMemoryCache } from './cache/index.js';
import { type BrownoutClient, type ClientOptions, createCoreClient } from './core/index.js';
import {
  createDegradationStore,
  type DegradationStore,
  type DegradationStoreOptions,
} from './store/index.js';

/** What `createClient` takes: the core client's options plus the store's. */
export interface BrownoutOptions<Name extends string = string> extends ClientOptions<Name> {
  /** Options of the degradation store; see {@link DegradationStoreOptions}. */
  store?: DegradationStoreOptions;
}

/** A client with its degradation store. */
export interface Brownout<Name extends string = string> extends BrownoutClient<Name> {
  /** The zustand store of health, levels and freshness the UI reads. */
  readonly store: DegradationStore;
}

/**
 * Creates a Brownout client: every call to a named dependency gets deadlines, full-jitter retries of
 * transient failures only, a shared retry budget, a circuit breaker, a cached fallback for reads, trace
 * context and one error type with problem details; `client.store` holds what the UI shows. Options are
 * validated here: nonsense throws a `RangeError`/`TypeError` naming the dependency and option.
 * @example
 * const client = createClient({ dependencies: { pricing: { baseUrl: '/api' } } });
 * const prices = await client.json<Price[]>('pricing', '/prices');
 * client.store.getState().level; // 'normal' | 'partial' | 'minimal' | 'cached' | 'maintenance'
 */
export function createClient<Name extends string>(options: BrownoutOptions<Name>): Brownout<Name> {
  const { store: storeOptions, ...clientOptions } = options ?? ({} as BrownoutOptions<Name>);
  const core = createCoreClient<Name>({ cache: createMemoryCache(), ...clientOptions });
  const store = createDegradationStore(core as BrownoutClient, storeOptions);
  const dispose = core.dispose;
  return Object.assign(core, {
    store,
    dispose() {
      store.dispose();
      dispose();
    },
  });
}
