import { type HttpHandler, type HttpResponseResolver, http, type Path } from 'msw';

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
 */
export interface ChaosOptions {
  /** Which method the handler answers; other methods fall through to the next handler. @default 'all' */
  method?: ChaosMethod;
}

/**
 * Makes the msw handler for `path` and `method` (internal: every factory goes through it).
 * @example
 * route('/api/prices', 'get', () => new Response(null, { status: 503 }));
 */
export const route = (
  path: Path,
  method: ChaosMethod | undefined,
  resolver: HttpResponseResolver,
): HttpHandler => {
  const verb = method ?? 'all';
  if (!Object.hasOwn(http, verb)) {
    throw new TypeError(
      `brownout/msw: method must be one of all, get, post, put, patch, delete, head, options; got ${String(method)}.`,
    );
  }
  return http[verb](path, resolver);
};
