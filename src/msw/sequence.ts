import { HttpResponse, type Path } from 'msw';
import { type ChaosOptions, route } from './shared.js';

/** One answer of a {@link sequence}: a status, a full response description, or a network error. */
export type SequenceStep =
  | number
  | 'network-error'
  | { status: number; headers?: Record<string, string>; body?: string | object };

/** What {@link sequence} returns: the handler, and what it saw. */
export interface SequenceHandle {
  /** Pass it to `setupServer`, `setupWorker` or `server.use`. */
  readonly handler: ReturnType<typeof route>;
  /** Calls answered so far. */
  readonly calls: number;
  /** Clones of the requests answered, in order (headers and bodies for assertions). */
  readonly requests: readonly Request[];
}

/**
 * Answers each call to `path` with the next step; the last step repeats. The way to script
 * "429, then 502, then 200".
 * @example
 * const s = sequence('https://api.test/orders', [429, 502, { status: 201, body: { id: 1 } }]);
 * server.use(s.handler);
 * // … later: expect(s.calls).toBe(3)
 */
export function sequence(
  path: Path,
  steps: readonly SequenceStep[],
  options: ChaosOptions = {},
): SequenceHandle {
  if (steps.length === 0) throw new RangeError('sequence: give at least one step.');
  const requests: Request[] = [];
  const handler = route(path, options.method, ({ request }) => {
    requests.push(request.clone());
    const step = steps[Math.min(requests.length, steps.length) - 1]!;
    if (step === 'network-error') return HttpResponse.error();
    if (typeof step === 'number') return new Response(null, { status: step });
    const isText = typeof step.body === 'string' || step.body === undefined;
    return new Response(isText ? (step.body as string | undefined) : JSON.stringify(step.body), {
      status: step.status,
      headers: isText ? (step.headers ?? {}) : { 'content-type': 'application/json', ...step.headers },
    });
  });
  return {
    handler,
    get calls() {
      return requests.length;
    },
    requests,
  };
}
