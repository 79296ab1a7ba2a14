import { delay, type HttpHandler, type Path } from 'msw';
import { type ChaosResponse, toResponse } from './chaosResponse.js';
import { mulberry32 } from './mulberry32.js';
import { type ChaosOptions, type ChaosResolver, route } from './route.js';

/**
 * How {@link latency} draws each wait: `'uniform'` in [ms, maxMs] (fixed at `ms` without `maxMs`), or
 * `'exponential'` with mean `ms`, capped at `maxMs` if given — the long tail real latencies have.
 * @example
 * latency('/api/reviews', 200, undefined, { distribution: 'exponential', maxMs: 5_000, seed: 3 });
 */
export type LatencyDistribution = 'uniform' | 'exponential';

/**
 * Options of {@link latency}.
 * @example
 * const options: LatencyOptions = { maxMs: 800, seed: 7 }; // each call waits a seeded time in [ms, 800]
 */
export interface LatencyOptions extends ChaosOptions {
  /** The longest wait: with it, waits are drawn from `seed` (uniform in [ms, maxMs] by default). */
  maxMs?: number;
  /** How waits are drawn. @default 'uniform' */
  distribution?: LatencyDistribution;
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
 * Validates the times of {@link latency} and returns the seeded draw of each wait (internal).
 * Exponential waits by inverse transform sampling: −mean·ln(1 − u) for u uniform in [0, 1).
 * @example
 * const next = latencyWaits(100, { maxMs: 900, seed: 7 }, 'latency');
 * next(); // a number in [100, 900], the same sequence for seed 7
 */
function latencyWaits(
  ms: number | 'infinite',
  options: LatencyOptions,
  where: string,
): () => number | 'infinite' {
  const { maxMs, distribution = 'uniform' } = options;
  if (ms !== 'infinite' && !(Number.isFinite(ms) && ms >= 0)) {
    throw new RangeError(`${where}: ms must be a finite number ≥ 0 or 'infinite', got ${ms}.`);
  }
  if (maxMs !== undefined && (ms === 'infinite' || !(Number.isFinite(maxMs) && maxMs >= ms))) {
    throw new RangeError(`${where}: maxMs must be a finite number ≥ ms (${ms}), got ${maxMs}.`);
  }
  if (distribution !== 'uniform' && distribution !== 'exponential') {
    throw new RangeError(`${where}: distribution must be 'uniform' or 'exponential', got ${distribution}.`);
  }
  if (ms === 'infinite') {
    if (distribution === 'exponential')
      throw new RangeError(`${where}: an exponential wait needs a finite ms.`);
    return () => ms;
  }
  const random = mulberry32(options.seed ?? 1);
  if (distribution === 'exponential') {
    return () => Math.min(maxMs ?? Number.POSITIVE_INFINITY, -ms * Math.log(1 - random()));
  }
  return maxMs === undefined ? () => ms : () => ms + random() * (maxMs - ms);
}

/**
 * What {@link latency} does, as a resolver (internal: `createChaos` reuses it for its `'slow'` mode).
 * @example
 * const slow = latencyResolver(3_000, undefined, {}); // waits, then passes through
 */
export function latencyResolver(
  ms: number | 'infinite',
  response: LatencyResponse | undefined,
  options: LatencyOptions,
  where = 'latency',
): ChaosResolver {
  const next = latencyWaits(ms, options, where);
  return async (request) => {
    await delay(next());
    if (response === undefined) return undefined;
    return typeof response === 'function' ? response(request) : toResponse(response);
  };
}

/**
 * Makes calls to `path` wait `ms` (msw's `delay`), or a seeded random time (uniform up to `maxMs`, or
 * exponential with mean `ms`), or forever (`'infinite'`: headers never come). Then answers `response`,
 * or — without one — lets the request through to the next matching handler, which makes any existing
 * handler slow. Once recovered (`recover`), calls pass through without waiting.
 * @example
 * server.use(latency('/api/reviews', 2_000, { status: 200, body: [] }));
 * server.use(latency('/api/prices', 100, undefined, { maxMs: 900, seed: 3 })); // in front of other handlers
 * server.use(latency('/api/prices', 150, undefined, { distribution: 'exponential', maxMs: 10_000 }));
 * server.use(latency('/api/auth', 'infinite'));                                 // the headers timeout's case
 */
export function latency(
  path: Path,
  ms: number | 'infinite',
  response?: LatencyResponse,
  options: LatencyOptions = {},
): HttpHandler {
  return route('latency', path, options, latencyResolver(ms, response, options));
}
