import type { HttpHandler, Path } from 'msw';
import { type ChaosResponse, toResponse } from './chaosResponse.js';
import { mulberry32 } from './mulberry32.js';
import { type ChaosOptions, type ChaosResolver, route } from './route.js';

/**
 * Options of {@link flaky}.
 * @example
 * const options: FlakyOptions = { failureRate: 0.3, seed: 7, failWith: 'network-error' };
 */
export interface FlakyOptions extends ChaosOptions {
  /** Share of calls that fail, 0–1. */
  failureRate: number;
  /** Seed of the draws, so the same calls fail on every run. @default 1 */
  seed?: number;
  /** How a failing call is answered. @default 503 */
  failWith?: ChaosResponse;
  /** How a call that does not fail is answered; without it the request passes to the next handler. */
  response?: ChaosResponse;
}

/**
 * What {@link flaky} answers, as a resolver (internal: `createChaos` reuses it). Each resolver draws
 * from its own generator, seeded afresh.
 * @example
 * const flip = flakyResolver({ failureRate: 0.5, seed: 7 });
 */
export function flakyResolver(options: FlakyOptions, where = 'flaky'): ChaosResolver {
  const { failureRate } = options;
  if (!(failureRate >= 0 && failureRate <= 1)) {
    throw new RangeError(`${where}: failureRate must be between 0 and 1, got ${failureRate}.`);
  }
  const random = mulberry32(options.seed ?? 1);
  return () => {
    if (random() < failureRate) return toResponse(options.failWith ?? 503);
    return options.response === undefined ? undefined : toResponse(options.response);
  };
}

/**
 * Fails a seeded share of the calls to `path`: with the same seed, the same calls fail on every run.
 * @example
 * server.use(flaky('/api/prices', { failureRate: 0.3, seed: 7, response: { status: 200, body: prices } }));
 * server.use(flaky('/api/prices', { failureRate: 0.5, recover: { afterCalls: 10 } })); // then all pass
 */
export function flaky(path: Path, options: FlakyOptions): HttpHandler {
  return route('flaky', path, options, flakyResolver(options));
}
