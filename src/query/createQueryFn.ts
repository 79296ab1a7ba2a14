import type { QueryFunction, QueryFunctionContext, QueryKey } from '@tanstack/query-core';
import type { BrownoutClient, BrownoutRequestInit } from '../core/index.js';

/** What a query reads: a URL, a `Request`, or a function of the query context returning one. */
export type QueryRequest<Key extends QueryKey = QueryKey> =
  | string
  | URL
  | Request
  | ((
      context: QueryFunctionContext<Key>,
    ) => string | URL | Request | { input: string | URL | Request; init?: BrownoutRequestInit });

/**
 * A TanStack Query `queryFn` that reads JSON from `dependency` through the client, so deadlines,
 * retries, the retry budget and problem details apply, and the query's `signal` cancels the call.
 * Turn TanStack's own retry off for such queries (`retry: false`): retrying happens in one layer.
 * @example
 * queryClient.fetchQuery({ queryKey: ['prices'], queryFn: createQueryFn(client, 'pricing', '/api/prices'), retry: false });
 */
export function createQueryFn<T = unknown, Key extends QueryKey = QueryKey, Name extends string = string>(
  client: BrownoutClient<Name>,
  dependency: Name,
  request: QueryRequest<Key>,
): QueryFunction<T, Key> {
  return (context) => {
    const made = typeof request === 'function' ? request(context) : request;
    const { input, init } =
      typeof made === 'object' && 'input' in made
        ? made
        : { input: made, init: undefined as BrownoutRequestInit | undefined };
    return client.json<T>(dependency, input, { ...init, signal: context.signal });
  };
}

/**
 * A TanStack Query `mutationFn` that sends `request(variables)` to `dependency` through the client and
 * resolves with the parsed JSON body (or `undefined` for an empty one).
 * @example
 * const mutationFn = createMutationFn(client, 'orders', (order: Order) => ({
 *   input: '/api/orders', init: { method: 'POST', body: JSON.stringify(order) } }));
 */
export function createMutationFn<TVariables, T = unknown, Name extends string = string>(
  client: BrownoutClient<Name>,
  dependency: Name,
  request: (variables: TVariables) => { input: string | URL | Request; init?: BrownoutRequestInit },
): (variables: TVariables) => Promise<T> {
  return (variables) => {
    const { input, init } = request(variables);
    return client.json<T>(dependency, input, init);
  };
}
