/** A response kept as the last good value for a request key. */
export interface CachedResponse {
  readonly key: string;
  readonly status: number;
  /** Response headers worth keeping (content type and the like), as pairs. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
  /** When it was received (epoch ms, from the client's clock). */
  readonly fetchedAt: number;
}

/**
 * Where last good responses live (the port the client reads and writes; `brownout` ships a memory LRU and
 * an IndexedDB store). Methods may be async; a cache that fails must not fail the call.
 */
export interface ResponseCache {
  get(key: string): CachedResponse | undefined | Promise<CachedResponse | undefined>;
  set(entry: CachedResponse): void | Promise<void>;
  delete(key: string): void | Promise<void>;
  clear(): void | Promise<void>;
}

/** Where a value on screen came from, and when. */
export interface Freshness {
  /** The request key (method and URL, or the app's own). */
  readonly key: string;
  readonly source: 'network' | 'cache';
  /** When the value was received from the network (epoch ms). */
  readonly fetchedAt: number;
}

const freshnessOf = new WeakMap<Response, Freshness>();

/** Records where a response's value came from (internal). */
export const markFreshness = (response: Response, freshness: Freshness): Response => {
  freshnessOf.set(response, freshness);
  return response;
};

/**
 * Where a response from a Brownout client came from: `source` (`network` or `cache`) and `fetchedAt`.
 * `undefined` for responses Brownout did not make (or GETs of a dependency without `reads: 'cache'`).
 * @example
 * const r = await client.fetch('pricing', '/prices');
 * const f = getFreshness(r); // { source: 'cache', fetchedAt: 1764… } → "as of 14 minutes ago"
 */
export const getFreshness = (response: Response): Freshness | undefined => freshnessOf.get(response);

/** The header Brownout sets on responses served from its cache. */
export const SOURCE_HEADER = 'x-brownout-source';
