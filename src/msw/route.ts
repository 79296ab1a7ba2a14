import { type HttpHandler, http, type Path } from 'msw';
import { createRecovery, type RecoverOptions, wallClock } from './recovery.js';

/**
 * An HTTP method a chaos handler answers, as msw's `http.<method>` names it; `all` answers every method.
 * @example
 * const method: ChaosMethod = 'post';
 */
export type ChaosMethod = 'all' | 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';

/**
 * Options every chaos handler takes.
 * @example
 * outage('/api/orders', { method: 'post' }); // GET /api/orders still reaches the next handler
 * outage('/api/prices', { recover: { afterCalls: 3 } }); // the 4th call reaches the app's handler
 */
export interface ChaosOptions {
  /** Which method the handler answers; other methods fall through to the next handler. @default 'all' */
  method?: ChaosMethod;
  /**
   * When the dependency comes back: after that, calls fall through to the next handler (the app's
   * own). Counted over the calls this handler takes. @default never
   */
  recover?: RecoverOptions;
  /** The clock `recover.afterMs` reads, in milliseconds. @default the wall clock, read at call time */
  now?: () => number;
}

/**
 * What a chaos handler does with a request: a response, or `undefined` to let it through to the next
 * matching handler (internal: the factories make them, `route` and `createChaos` run them).
 * @example
 * const down: ChaosResolver = () => new Response(null, { status: 503 });
 */
export type ChaosResolver = (request: Request) => Response | undefined | Promise<Response | undefined>;

const METHODS = 'all, get, post, put, patch, delete, head, options';

/**
 * Makes the msw handler for `path` that runs `resolver`, with the method and recovery of `options`
 * (internal: every factory goes through it). `name` is the factory's, for error messages.
 * @example
 * route('outage', '/api/prices', { method: 'get' }, () => new Response(null, { status: 503 }));
 */
export const route = (
  name: string,
  path: Path,
  options: ChaosOptions,
  resolver: ChaosResolver,
): HttpHandler => {
  const verb = options.method ?? 'all';
  if (!Object.hasOwn(http, verb)) {
    throw new TypeError(`${name}: method must be one of ${METHODS}; got ${String(options.method)}.`);
  }
  const { recover } = options;
  if (recover === undefined) return http[verb](path, ({ request }) => resolver(request));
  const recovered = createRecovery(recover, options.now ?? wallClock, name);
  return http[verb](path, ({ request }) => (recovered() ? undefined : resolver(request)));
};
