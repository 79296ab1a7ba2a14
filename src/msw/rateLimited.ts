import type { HttpHandler, Path } from 'msw';
import { outageResolver } from './outage.js';
import type { RetryAfter } from './retryAfter.js';
import { type ChaosOptions, route } from './route.js';

/**
 * Options of {@link rateLimited}.
 * @example
 * const options: RateLimitedOptions = { retryAfter: 30, recover: { afterMs: 30_000 } };
 */
export interface RateLimitedOptions extends ChaosOptions {
  /**
   * The `Retry-After` header: delay-seconds, a `Date` (sent as an HTTP date, `toUTCString`), or a
   * string sent exactly as given (to test invalid values).
   */
  retryAfter: RetryAfter;
  /**
   * The `application/problem+json` body, sent exactly as given; `false` sends an empty body.
   * @default { type: 'about:blank', title: 'Too Many Requests', status: 429 }
   */
  problem?: object | false;
}

/**
 * Every call to `path` is refused with `429 Too Many Requests`, an RFC 9457 problem body and a
 * `Retry-After` header: the case where a client must wait as told, not retry on its own schedule.
 * @example
 * server.use(rateLimited('/api/prices', { retryAfter: 30 }));
 * server.use(rateLimited('/api/prices', { retryAfter: new Date(Date.UTC(2026, 9, 21, 7, 28)) }));
 * server.use(rateLimited('/api/prices', { retryAfter: 2, recover: { afterCalls: 1 } }));
 */
export function rateLimited(path: Path, options: RateLimitedOptions): HttpHandler {
  return route('rateLimited', path, options, outageResolver({ ...options, status: 429 }, 'rateLimited'));
}
