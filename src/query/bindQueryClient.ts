import type { Query, QueryClient } from '@tanstack/query-core';
import { type BreakerEvent, isBrownoutError, systemRandom } from '../core/index.js';
import { recordFreshness } from '../store/index.js';
import { dependencyOf, type QueryAdapterClient } from './createQueryFn.js';

/** Options of {@link bindQueryClient}. */
export interface BindQueryClientOptions {
  /**
   * When a dependency recovers, its stale or failed queries refetch once, each at a random time within this
   * window, so recovery is not met by a storm.
   * @default 1_000
   */
  refetchSpreadMs?: number;
  /** Uniform numbers in [0, 1) for the spread. @default Math.random */
  random?: () => number;
}

/** What the binding's listeners share: both clients, the spread, and the timers and probes in flight. */
interface Binding {
  readonly queryClient: QueryClient;
  readonly client: QueryAdapterClient;
  readonly spread: number;
  readonly random: () => number;
  /** The spread refetches after a recovery. */
  readonly timers: Set<unknown>;
  /** Per dependency, the probe planned for later. */
  readonly probeTimers: Map<string, unknown>;
  /** Per dependency, the query that was sent as the probe. */
  readonly probes: Map<string, string>;
}

/** A retry setting that never retries a Brownout error, and otherwise does what `retry` (or `fallback`) says. */
const retryUnlessBrownout = (retry: unknown, fallback: number) => (failureCount: number, error: unknown) => {
  if (isBrownoutError(error)) return false;
  if (typeof retry === 'function') return Boolean(retry(failureCount, error));
  if (typeof retry === 'number') return failureCount < retry;
  if (typeof retry === 'boolean') return retry;
  return failureCount < fallback;
};

/** Refetches one query (not cancelling a fetch of it already under way). */
const refetch = (queryClient: QueryClient, query: Query): void => {
  void queryClient.refetchQueries({ queryKey: query.queryKey, exact: true }, { cancelRefetch: false });
};

/** The queries whose `queryFn` reads from `dependency`. */
const brownoutQueries = (queryClient: QueryClient, dependency: string): Query[] =>
  queryClient
    .getQueryCache()
    .getAll()
    .filter((q) => dependencyOf(q.options.queryFn) === dependency);

/**
 * A query to fetch again: it failed, it is stale, or what it holds came from Brownout's cache (an unobserved
 * query — a part hidden by <Degradable> — is never stale to TanStack, yet shows saved data when it is back).
 */
const outdated = (client: QueryAdapterClient, query: Query): boolean =>
  query.state.status === 'error' ||
  query.isStale() ||
  client.store?.getState().freshness[query.queryHash]?.source === 'cache';

/** Stops the probe planned for `dependency`, if any. */
function cancelProbe(b: Binding, dependency: string): void {
  b.client.clock.clearTimeout(b.probeTimers.get(dependency));
  b.probeTimers.delete(dependency);
}

/**
 * A query someone is looking at, that failed or is stale: one is enough to probe. Failing that, any such
 * query of the dependency: a part hidden while it is down (<Degradable>) has no observer, and would
 * otherwise never come back. Returns whether a query was sent.
 */
function probe(b: Binding, dependency: string): boolean {
  const due = brownoutQueries(b.queryClient, dependency).filter((q) => outdated(b.client, q));
  const query = due.find((q) => q.getObserversCount() > 0) ?? due[0];
  if (!query) return false;
  b.probes.set(dependency, query.queryHash);
  refetch(b.queryClient, query);
  return true;
}

/** Plans the probe of `dependency` in `delayMs` (instead of one planned before). */
function schedule(b: Binding, dependency: string, delayMs: number): void {
  cancelProbe(b, dependency);
  b.probeTimers.set(
    dependency,
    b.client.clock.setTimeout(() => {
      b.probeTimers.delete(dependency);
      probe(b, dependency);
    }, delayMs),
  );
}

/** The dependency answers again: refetch what failed or went stale, spread out, except the probe itself. */
function recovered(b: Binding, dependency: string): void {
  const { client, timers } = b;
  const probed = b.probes.get(dependency);
  b.probes.delete(dependency);
  cancelProbe(b, dependency);
  // A hidden tab refetches nothing: TanStack refetches stale queries when the user comes back.
  if (!client.environment.visible()) return;
  for (const query of brownoutQueries(b.queryClient, dependency)) {
    if (query.queryHash === probed) continue; // it has just been fetched by the probe
    if (!outdated(client, query)) continue;
    const timer = client.clock.setTimeout(() => {
      timers.delete(timer);
      refetch(b.queryClient, query);
    }, b.random() * b.spread);
    timers.add(timer);
  }
}

/** A query that failed but has data: records that data's age as the freshness the store shows. */
function onQueryError(client: QueryAdapterClient, query: Query): void {
  if (!client.store) return;
  const dependency = dependencyOf(query.options.queryFn);
  if (!dependency || query.state.data === undefined || !query.state.dataUpdatedAt) return;
  // A dependency that fails closed (auth) is not shown with old data while down — the page is replaced —
  // so there is no age to tell (it would flash "may be out of date" while it comes back).
  const { criticality, onFailure } = client.policy(dependency);
  if (criticality === 'critical' && onFailure === 'closed') return;
  // The data stays on screen; its age is the truth to tell.
  const current = client.store.getState().freshness[query.queryHash];
  // Brownout's own record of when the data was fetched, else TanStack's (e.g. data from a persister).
  const fetchedAt = current ? current.fetchedAt : query.state.dataUpdatedAt;
  recordFreshness(client.store, {
    key: query.queryHash,
    dependency,
    source: 'cache',
    fetchedAt,
    staleAt: fetchedAt + client.policy(dependency).maxStaleMs,
  });
}

/** A breaker moved: an open one voids the planned probe, a half-open one is probed now, a closed one recovered. */
function onBreaker(b: Binding, e: BreakerEvent): void {
  if (e.to.state === 'open') {
    // The client says when the open period has ended (probe-due); a probe planned before is void.
    cancelProbe(b, e.dependency);
    return;
  }
  if (e.to.state === 'half-open') {
    // Ended early by a "Retry now" (probeNow), or by a call that arrived first: probe now.
    schedule(b, e.dependency, 0);
    return;
  }
  recovered(b, e.dependency);
}

/** Invalidates a dependency's queries when the outbox replays a write of it or keeps the server's version. */
function listenToOutbox(b: Binding): (() => void)[] {
  const events = b.client.outbox?.events;
  if (!events) return [];
  const invalidate = ({ entry }: { entry: { dependency: string } }): void => {
    for (const query of brownoutQueries(b.queryClient, entry.dependency)) {
      void b.queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
    }
  };
  return [
    // The server changed: what the queries hold is out of date.
    events.on('replayed', invalidate),
    // The user kept the server's version: the queries must show it (and drop any optimistic value of the
    // write). A plain discard changed nothing on the server: undoing an optimistic value is the app's.
    events.on('discarded', (e) => {
      if (e.reason === 'theirs') invalidate(e);
    }),
  ];
}

/**
 * Binds a TanStack Query `QueryClient` to a Brownout client. It
 * - keeps retries in one layer: TanStack does not retry a Brownout error (Brownout already did, within the
 *   deadline and the budget); other errors keep the app's retry setting;
 * - when a query fails but has data, records that data's age (`dataUpdatedAt`) as the freshness the store
 *   and the banners show ("as of 14 minutes ago");
 * - when a wait ends (an open breaker's period or a `Retry-After` hold; the client's `probe-due`, which waits
 *   while the page is hidden or offline), refetches one of its shown, failed or stale queries as the one
 *   probe (at once after a "Retry now");
 * - when a dependency recovers, refetches that dependency's stale or failed queries once, spread with
 *   jitter (not in a hidden tab: TanStack refetches them when the user is back);
 * - after the outbox replays a write, or drops one because the user chose the server's version
 *   (`acceptTheirs`), invalidates the queries of its dependency.
 * Returns the unbind function (it restores the previous defaults and stops every timer and listener).
 * @example
 * const unbind = bindQueryClient(queryClient, client);
 */
export function bindQueryClient(
  queryClient: QueryClient,
  client: QueryAdapterClient,
  options: BindQueryClientOptions = {},
): () => void {
  const previous = queryClient.getDefaultOptions();
  queryClient.setDefaultOptions({
    ...previous,
    queries: { ...previous.queries, retry: retryUnlessBrownout(previous.queries?.retry, 3) },
    mutations: { ...previous.mutations, retry: retryUnlessBrownout(previous.mutations?.retry, 0) },
  });
  const b: Binding = {
    queryClient,
    client,
    spread: options.refetchSpreadMs ?? 1_000,
    random: options.random ?? systemRandom,
    timers: new Set(),
    probeTimers: new Map(),
    probes: new Map(),
  };

  const offs: (() => void)[] = [
    queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'error') return;
      onQueryError(client, event.query);
    }),
    // A wait ran out (an open period, a Retry-After hold; deferred by the client while the page is hidden
    // or offline): one shown query is the probe, so "Trying again…" is true and ends.
    client.on('probe-due', (e) => {
      if (probe(b, e.dependency)) e.claim();
    }),
    // The probe after a hold succeeded (the breaker was closed all along, so no breaker event says so).
    client.on('success', (e) => {
      if (b.probes.has(e.dependency) && client.breaker(e.dependency).state.state === 'closed') {
        recovered(b, e.dependency);
      }
    }),
    client.on('breaker', (e) => onBreaker(b, e)),
    ...listenToOutbox(b),
  ];
  return () => {
    for (const off of offs) off();
    for (const timer of b.timers) client.clock.clearTimeout(timer);
    b.timers.clear();
    for (const dependency of [...b.probeTimers.keys()]) cancelProbe(b, dependency);
    queryClient.setDefaultOptions(previous);
  };
}
