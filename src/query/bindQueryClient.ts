import type { Query, QueryClient } from '@tanstack/query-core';
import { isBrownoutError, systemRandom } from '../core/index.js';
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
  const spread = options.refetchSpreadMs ?? 1_000;
  const random = options.random ?? systemRandom;
  const previous = queryClient.getDefaultOptions();
  const keep = (retry: unknown, fallback: number) => (failureCount: number, error: unknown) => {
    if (isBrownoutError(error)) return false;
    if (typeof retry === 'function') return Boolean(retry(failureCount, error));
    if (typeof retry === 'number') return failureCount < retry;
    if (typeof retry === 'boolean') return retry;
    return failureCount < fallback;
  };
  queryClient.setDefaultOptions({
    ...previous,
    queries: { ...previous.queries, retry: keep(previous.queries?.retry, 3) },
    mutations: { ...previous.mutations, retry: keep(previous.mutations?.retry, 0) },
  });

  const timers = new Set<unknown>();
  const probeTimers = new Map<string, unknown>();
  /** Per dependency, the query that was sent as the probe. */
  const probes = new Map<string, string>();
  const cancelProbe = (dependency: string): void => {
    client.clock.clearTimeout(probeTimers.get(dependency));
    probeTimers.delete(dependency);
  };
  /**
   * A query someone is looking at, that failed or is stale: one is enough to probe. Failing that, any such
   * query of the dependency: a part hidden while it is down (<Degradable>) has no observer, and would
   * otherwise never come back. Returns whether a query was sent.
   */
  const probe = (dependency: string): boolean => {
    const due = brownoutQueries(dependency).filter(outdated);
    const query = due.find((q) => q.getObserversCount() > 0) ?? due[0];
    if (!query) return false;
    probes.set(dependency, query.queryHash);
    void queryClient.refetchQueries({ queryKey: query.queryKey, exact: true }, { cancelRefetch: false });
    return true;
  };
  const schedule = (dependency: string, delayMs: number): void => {
    cancelProbe(dependency);
    probeTimers.set(
      dependency,
      client.clock.setTimeout(() => {
        probeTimers.delete(dependency);
        probe(dependency);
      }, delayMs),
    );
  };
  /** The dependency answers again: refetch what failed or went stale, spread out, except the probe itself. */
  const recovered = (dependency: string): void => {
    const probed = probes.get(dependency);
    probes.delete(dependency);
    cancelProbe(dependency);
    // A hidden tab refetches nothing: TanStack refetches stale queries when the user comes back.
    if (!client.environment.visible()) return;
    for (const query of brownoutQueries(dependency)) {
      if (query.queryHash === probed) continue; // it has just been fetched by the probe
      if (!outdated(query)) continue;
      const timer = client.clock.setTimeout(() => {
        timers.delete(timer);
        void queryClient.refetchQueries({ queryKey: query.queryKey, exact: true }, { cancelRefetch: false });
      }, random() * spread);
      timers.add(timer);
    }
  };
  /**
   * A query to fetch again: it failed, it is stale, or what it holds came from Brownout's cache (an unobserved
   * query — a part hidden by <Degradable> — is never stale to TanStack, yet shows saved data when it is back).
   */
  const outdated = (query: Query): boolean =>
    query.state.status === 'error' ||
    query.isStale() ||
    client.store?.getState().freshness[query.queryHash]?.source === 'cache';
  const brownoutQueries = (dependency: string): Query[] =>
    queryClient
      .getQueryCache()
      .getAll()
      .filter((q) => dependencyOf(q.options.queryFn) === dependency);

  const offs: (() => void)[] = [
    queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'error' || !client.store) return;
      const query = event.query;
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
    }),
    // A wait ran out (an open period, a Retry-After hold; deferred by the client while the page is hidden
    // or offline): one shown query is the probe, so "Trying again…" is true and ends.
    client.on('probe-due', (e) => {
      if (probe(e.dependency)) e.claim();
    }),
    // The probe after a hold succeeded (the breaker was closed all along, so no breaker event says so).
    client.on('success', (e) => {
      if (probes.has(e.dependency) && client.breaker(e.dependency).state.state === 'closed') {
        recovered(e.dependency);
      }
    }),
    client.on('breaker', (e) => {
      if (e.to.state === 'open') {
        // The client says when the open period has ended (probe-due); a probe planned before is void.
        cancelProbe(e.dependency);
        return;
      }
      if (e.to.state === 'half-open') {
        // Ended early by a "Retry now" (probeNow), or by a call that arrived first: probe now.
        schedule(e.dependency, 0);
        return;
      }
      recovered(e.dependency);
    }),
  ];
  const events = client.outbox?.events;
  if (events) {
    const invalidate = ({ entry }: { entry: { dependency: string } }): void => {
      for (const query of brownoutQueries(entry.dependency)) {
        void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
      }
    };
    offs.push(
      // The server changed: what the queries hold is out of date.
      events.on('replayed', invalidate),
      // The user kept the server's version: the queries must show it (and drop any optimistic value of the
      // write). A plain discard changed nothing on the server: undoing an optimistic value is the app's.
      events.on('discarded', (e) => {
        if (e.reason === 'theirs') invalidate(e);
      }),
    );
  }
  return () => {
    for (const off of offs) off();
    for (const timer of timers) client.clock.clearTimeout(timer);
    timers.clear();
    for (const dependency of [...probeTimers.keys()]) cancelProbe(dependency);
    queryClient.setDefaultOptions(previous);
  };
}
