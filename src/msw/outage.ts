import type { HttpHandler, Path } from 'msw';
import { problemResponse } from './problemResponse.js';
import { reasonPhrase } from './reasonPhrase.js';
import { type ChaosOptions, route } from './route.js';

/**
 * Options of {@link outage}.
 * @example
 * const options: OutageOptions = { status: 429, retryAfter: 30 };
 */
export interface OutageOptions extends ChaosOptions {
  /** The status every call gets. @default 503 */
  status?: number;
  /**
   * A `Retry-After` header: delay-seconds, or an HTTP date string. Sent as given, valid or not, so that
   * invalid values (`1.5`, `-5`, `''`) can be tested too.
   */
  retryAfter?: number | string;
  /**
   * The `application/problem+json` body, sent exactly as given; `false` sends an empty body.
   * @default { type: 'about:blank', title: <the status phrase>, status }
   */
  problem?: object | false;
}

/**
 * Every call to `path` fails with a server error — 503 with an RFC 9457 problem body by default,
 * optionally with `Retry-After`. The dependency is down until the handler is removed
 * (`server.resetHandlers()`).
 * @example
 * server.use(outage('https://api.test/prices', { retryAfter: 30 }));
 * server.use(outage('/api/orders', { status: 500, problem: { title: 'Database down', detail: 'failover' } }));
 */
export function outage(path: Path, options: OutageOptions = {}): HttpHandler {
  const status = options.status ?? 503;
  const headers: Record<string, string> =
    options.retryAfter === undefined ? {} : { 'retry-after': String(options.retryAfter) };
  const problem = options.problem ?? { type: 'about:blank', title: reasonPhrase(status), status };
  return route(path, options.method, () =>
    problem === false ? new Response(null, { status, headers }) : problemResponse(status, problem, headers),
  );
}
