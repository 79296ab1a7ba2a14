import { type HttpHandler, HttpResponse, type Path } from 'msw';
import { type ChaosOptions, type ChaosResolver, route } from './route.js';

/**
 * What {@link networkError} answers, as a resolver (internal: `createChaos` reuses it).
 * @example
 * const offline: ChaosResolver = networkErrorResolver;
 */
export const networkErrorResolver: ChaosResolver = () => HttpResponse.error();

/**
 * Every call to `path` fails before any response: fetch rejects with a `TypeError`, as it does offline,
 * on a DNS failure or a refused CORS request. There is no status to read, so a client has to tell
 * "unreachable" from "answered with an error" by the rejection alone.
 * @example
 * server.use(networkError('/api/prices'));
 * await fetch('/api/prices'); // rejects with TypeError: Failed to fetch
 * server.use(networkError('/api/orders', { method: 'post', recover: { afterMs: 5_000 } }));
 */
export function networkError(path: Path, options: ChaosOptions = {}): HttpHandler {
  return route('networkError', path, options, networkErrorResolver);
}
