import type { HttpHandler, Path } from 'msw';
import { type ChaosResponse, toResponse } from './chaosResponse.js';
import { type ChaosOptions, route } from './route.js';

/**
 * One answer of a {@link sequence}: a status, a response by its parts, or `'network-error'`.
 * @example
 * const steps: SequenceStep[] = [{ status: 429, headers: { 'retry-after': '0' } }, 502, 201];
 */
export type SequenceStep = ChaosResponse;

/**
 * What {@link sequence} returns: the handler to install, and what it saw.
 * @example
 * const s: SequenceHandle = sequence('/api/prices', [503, 200]);
 * server.use(s.handler);
 * await fetch('/api/prices');
 * s.calls; // 1
 * s.requests[0]?.headers.get('traceparent');
 */
export interface SequenceHandle {
  /** The msw handler: pass it to `setupServer`, `setupWorker` or `server.use`. */
  readonly handler: HttpHandler;
  /** Calls answered so far. */
  readonly calls: number;
  /** A clone of every request answered, in order: headers and bodies for assertions. */
  readonly requests: readonly Request[];
  /** Starts again at the first step and forgets the requests. */
  reset(): void;
}

/**
 * Answers the calls to `path` with `steps` in order — call n gets step n — and repeats the last step
 * once they run out: the way to script "429, then 502, then 200". Each call is counted when it arrives,
 * so concurrent calls take consecutive steps.
 * @example
 * const s = sequence('https://api.test/orders', [429, 502, { status: 201, body: { id: 1 } }], {
 *   method: 'post',
 * });
 * server.use(s.handler);
 * await client.fetch('orders', '/orders', { method: 'POST', body: '{}' });
 * expect(s.calls).toBe(3);
 * expect(new Set(s.requests.map((r) => r.headers.get('idempotency-key'))).size).toBe(1);
 */
export function sequence(
  path: Path,
  steps: readonly SequenceStep[],
  options: ChaosOptions = {},
): SequenceHandle {
  if (steps.length === 0) throw new RangeError('sequence: give at least one step.');
  const frozen = [...steps];
  const requests: Request[] = [];
  const handler = route('sequence', path, options, (request) => {
    requests.push(request.clone());
    return toResponse(frozen[Math.min(requests.length, frozen.length) - 1]!);
  });
  return {
    handler,
    get calls() {
      return requests.length;
    },
    requests,
    reset() {
      requests.length = 0;
    },
  };
}
