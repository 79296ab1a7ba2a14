import { type HttpResponseResolver, http, type Path } from 'msw';

/** HTTP methods a chaos handler can answer; `all` answers every method. */
export type ChaosMethod = 'all' | 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';

/** Options every chaos handler takes. */
export interface ChaosOptions {
  /** Which method the handler answers. @default 'all' */
  method?: ChaosMethod;
}

/** Makes an msw handler for `path` and `method`. */
export const route = (path: Path, method: ChaosMethod | undefined, resolver: HttpResponseResolver) =>
  http[method ?? 'all'](path, resolver);

/**
 * A seeded generator (mulberry32) so that chaos is reproducible. The kit keeps its own copy: it imports
 * nothing of Brownout, so it works with any client.
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An RFC 9457 problem response. */
export const problemResponse = (
  status: number,
  problem: object,
  headers: Record<string, string> = {},
): Response =>
  new Response(JSON.stringify(problem), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
