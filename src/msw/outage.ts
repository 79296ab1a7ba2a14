import type { HttpHandler, Path } from 'msw';
import { checkStatus } from './checkStatus.js';
import { problemResponse } from './problemResponse.js';
import { reasonPhrase } from './reasonPhrase.js';
import { type RetryAfter, retryAfterValue } from './retryAfter.js';
import { type ChaosOptions, type ChaosResolver, route } from './route.js';

/**
 * Options of {@link outage}.
 * @example
 * const options: OutageOptions = { status: 502, retryAfter: 30 };
 */
export interface OutageOptions extends ChaosOptions {
  /** The status every call gets. @default 503 */
  status?: number;
  /**
   * A `Retry-After` header: delay-seconds, a `Date` (sent as an HTTP date), or a string. Numbers and
   * strings are sent as given, valid or not, so that invalid values (`1.5`, `-5`, `''`) can be tested too.
   */
  retryAfter?: RetryAfter;
  /**
   * The `application/problem+json` body, sent exactly as given; `false` sends an empty body.
   * @default { type: 'about:blank', title: <the status phrase>, status }
   */
  problem?: object | false;
}

/**
 * What {@link outage} answers, as a resolver (internal: `rateLimited` and `createChaos` reuse it).
 * @example
 * const down = outageResolver({ status: 503, retryAfter: 30 });
 */
export function outageResolver(options: OutageOptions = {}, where = 'outage'): ChaosResolver {
  const status = checkStatus(options.status ?? 503, where);
  const headers: Record<string, string> =
    options.retryAfter === undefined ? {} : { 'retry-after': retryAfterValue(options.retryAfter, where) };
  const problem = options.problem ?? { type: 'about:blank', title: reasonPhrase(status), status };
  return () =>
    problem === false ? new Response(null, { status, headers }) : problemResponse(status, problem, headers);
}

/**
 * Every call to `path` fails with a server error — 503 with an RFC 9457 problem body by default,
 * optionally with `Retry-After`. The dependency is down until the handler is removed
 * (`server.resetHandlers()`) or, with `recover`, until it comes back on its own.
 * @example
 * server.use(outage('https://api.test/prices', { retryAfter: 30 }));
 * server.use(outage('/api/orders', { status: 500, problem: { title: 'Database down', detail: 'failover' } }));
 * server.use(outage('/api/prices', { recover: { afterCalls: 3 } })); // then the app's handler answers
 */
export function outage(path: Path, options: OutageOptions = {}): HttpHandler {
  return route('outage', path, options, outageResolver(options));
}
