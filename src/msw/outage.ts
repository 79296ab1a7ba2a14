import type { Path } from 'msw';
import { type ChaosOptions, problemResponse, route } from './shared.js';

/** Options of {@link outage}. */
export interface OutageOptions extends ChaosOptions {
  /** @default 503 */
  status?: number;
  /** A `Retry-After` value: seconds, or an HTTP date string. */
  retryAfter?: number | string;
  /** The problem+json body; `false` sends an empty body. @default a problem with the status title */
  problem?: object | false;
}

/**
 * Every call to `path` fails with a server error (503 by default), optionally with `Retry-After`.
 * @example
 * server.use(outage('/api/prices', { retryAfter: 30 }));
 */
export function outage(path: Path, options: OutageOptions = {}) {
  const status = options.status ?? 503;
  const headers: Record<string, string> =
    options.retryAfter === undefined ? {} : { 'retry-after': String(options.retryAfter) };
  return route(path, options.method, () =>
    options.problem === false
      ? new Response(null, { status, headers })
      : problemResponse(
          status,
          options.problem ?? { title: status === 503 ? 'Service Unavailable' : 'Server Error' },
          headers,
        ),
  );
}
