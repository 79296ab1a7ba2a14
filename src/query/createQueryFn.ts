import { hashKey, type QueryFunction, type QueryFunctionContext, type QueryKey } from '@tanstack/query-core';
import type { Brownout } from '../client/index.js';
import { type BrownoutClient, type BrownoutRequestInit, getFreshness, readJson } from '../core/index.js';
import type { OutboxEntry, WriteState } from '../outbox/index.js';
import { recordFreshness } from '../store/index.js';

/** The property a Brownout `queryFn` carries its dependency under (read by `bindQueryClient`). */
export const DEPENDENCY = Symbol.for('brownout.dependency');

/** What a query reads: a URL, a `Request`, or a function of the query context returning one. */
export type QueryRequest<Key extends QueryKey = QueryKey> =
  | string
  | URL
  | Request
  | ((
      context: QueryFunctionContext<Key>,
    ) => string | URL | Request | { input: string | URL | Request; init?: BrownoutRequestInit });

/**
 * A client as the adapter takes it: the composed client from `createClient` (its store and outbox are used),
 * or a core client from `createCoreClient` (without them).
 */
export type QueryAdapterClient<Name extends string = string> = BrownoutClient<Name> &
  Partial<Pick<Brownout<Name>, 'store' | 'outbox'>>;

/** The dependency a `queryFn` made by {@link createQueryFn} reads from, if any. */
export const dependencyOf = (queryFn: unknown): string | undefined =>
  typeof queryFn === 'function' ? (queryFn as { [DEPENDENCY]?: string })[DEPENDENCY] : undefined;

/**
 * A TanStack Query `queryFn` that reads JSON from `dependency` through the client: deadlines, retries, the
 * retry budget, the breaker and the cached fallback apply, and the query's `signal` cancels the call. When
 * the value came from Brownout's cache, the store's freshness for the query (keyed by its hash) says so,
 * with the time it was fetched. Use it with TanStack's retry off (`bindQueryClient` does that).
 * @example
 * useQuery({ queryKey: ['prices'], queryFn: createQueryFn(client, 'pricing', '/api/prices') });
 */
export function createQueryFn<T = unknown, Key extends QueryKey = QueryKey, Name extends string = string>(
  client: QueryAdapterClient<Name>,
  dependency: Name,
  request: QueryRequest<Key>,
): QueryFunction<T, Key> {
  const policy = client.policy(dependency);
  const queryFn: QueryFunction<T, Key> = async (context) => {
    const made = typeof request === 'function' ? request(context) : request;
    const { input, init } =
      typeof made === 'object' && 'input' in made
        ? made
        : { input: made, init: undefined as BrownoutRequestInit | undefined };
    const response = await client.fetch(dependency, input, { ...init, signal: context.signal });
    const freshness = getFreshness(response);
    const data = await readJson<T>(response, dependency);
    if (client.store) {
      // The data's age is the body's: a network value is fresh once its body has arrived (a body that
      // stalls after its headers never got here), a cached one keeps the time it was fetched.
      const fetchedAt = freshness?.source === 'cache' ? freshness.fetchedAt : client.clock.now();
      recordFreshness(client.store, {
        key: hashKey(context.queryKey),
        dependency,
        source: freshness?.source ?? 'network',
        fetchedAt,
        staleAt: fetchedAt + policy.maxStaleMs,
      });
    }
    return data;
  };
  return Object.assign(queryFn, { [DEPENDENCY]: dependency });
}

/** What a mutation to a `queue` dependency resolves with when its write was queued instead of sent. */
export interface QueuedMutation {
  readonly queued: true;
  readonly id: string;
  readonly position: number;
  readonly entry: OutboxEntry;
  /**
   * Resolves when the write is settled for now: `sent`, `discarded`, `failed` or `conflict` (a `failed` or
   * `conflict` write the user retries can still be sent later: `useQueuedWrite` follows it further).
   */
  readonly settled: Promise<WriteState>;
}

/** True when a mutation's result is a queued write (show "1 change waiting to be sent"). */
export const isQueuedMutation = (value: unknown): value is QueuedMutation =>
  typeof value === 'object' &&
  value !== null &&
  (value as { queued?: unknown }).queued === true &&
  'entry' in value;

/**
 * TanStack Query options for mutations to a `queue` dependency: TanStack's retry off (Brownout retries), and
 * `networkMode: 'always'` so that offline the write reaches the durable outbox instead of pausing in memory
 * (a paused mutation is lost on reload).
 */
export const queuedMutationOptions = { retry: false, networkMode: 'always' } as const;

/**
 * A TanStack Query `mutationFn` that sends `request(variables)` to `dependency` through the client. It
 * resolves with the parsed JSON body, or — when the write was queued in the outbox — with a
 * {@link QueuedMutation}.
 * @example
 * const mutationFn = createMutationFn(client, 'orders', (order: Order) => ({
 *   input: '/api/orders', init: { method: 'POST', body: JSON.stringify(order) } }));
 */
export function createMutationFn<TVariables, T = unknown, Name extends string = string>(
  client: QueryAdapterClient<Name>,
  dependency: Name,
  request: (variables: TVariables) => { input: string | URL | Request; init?: BrownoutRequestInit },
): (variables: TVariables) => Promise<T | QueuedMutation> {
  return async (variables) => {
    const { input, init } = request(variables);
    const response = await client.fetch(dependency, input, init);
    const id = response.status === 202 && response.headers.get('x-brownout-queued');
    const outbox = client.outbox;
    // Looked up before the body is read: a write not found here leaves the body unread for the plain path.
    const entry = id && outbox?.list().find((e) => e.id === id);
    if (id && outbox && entry) {
      // Asked for now, not when the app awaits it: a write sent in between still resolves `sent`.
      const settled = outbox.settled(id);
      const { position } = await readJson<{ position: number }>(response, dependency);
      return { queued: true, id, position, entry, settled };
    }
    return readJson<T>(response, dependency);
  };
}
