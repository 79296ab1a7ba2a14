import { delay, type HttpHandler, type Path } from 'msw';
import { type ChaosResponse, toResponse } from './chaosResponse.js';
import { mulberry32 } from './mulberry32.js';
import { type ChaosOptions, route } from './route.js';

/**
 * Options of {@link latency}.
 * @example
 * const options: LatencyOptions = { maxMs: 800, seed: 7 }; // each call waits a seeded time in [ms, 800]
 */
export interface LatencyOptions extends ChaosOptions {
  /** With it, each call waits a time drawn uniformly in [ms, maxMs] from `seed`. */
  maxMs?: number;
  /** Seed of the draws, so the same calls are slow on every run. @default 1 */
  seed?: number;
}

/**
 * What {@link latency} answers after the wait: a {@link ChaosResponse}, or a function making the response.
 * @example
 * const slow: LatencyResponse = (request) => Response.json({ url: request.url });
 */
export type LatencyResponse = ChaosResponse | ((request: Request) => Response | Promise<Response>);

/**
 * Makes calls to `path` wait `ms` (msw's `delay`), or a seeded random time up to `maxMs`, or forever
 * (`'infinite'`: headers never come). Then answers `response`, or — without one — lets the request
 * through to the next matching handler, which makes any existing handler slow.
 * @example
 * server.use(latency('/api/reviews', 2_000, { status: 200, body: [] }));
 * server.use(latency('/api/prices', 100, undefined, { maxMs: 900, seed: 3 })); // in front of other handlers
 * server.use(latency('/api/auth', 'infinite'));                                 // the headers timeout's case
 */
export function latency(
  path: Path,
  ms: number | 'infinite',
  response?: LatencyResponse,
  options: LatencyOptions = {},
): HttpHandler {
  const { maxMs } = options;
  if (ms !== 'infinite' && !(Number.isFinite(ms) && ms >= 0)) {
    throw new RangeError(`latency: ms must be a finite number ≥ 0 or 'infinite', got ${ms}.`);
  }
  if (maxMs !== undefined && (ms === 'infinite' || !(Number.isFinite(maxMs) && maxMs >= ms))) {
    throw new RangeError(`latency: maxMs must be a finite number ≥ ms (${ms}), got ${maxMs}.`);
  }
  const random = mulberry32(options.seed ?? 1);
  return route(path, options.method, async ({ request }) => {
    await delay(ms === 'infinite' || maxMs === undefined ? ms : ms + random() * (maxMs - ms));
    if (response === undefined) return undefined;
    return typeof response === 'function' ? response(request) : toResponse(response);
  });
}
