import type { BrownoutError } from '../BrownoutError.js';
import { markFreshness, SOURCE_HEADER } from '../ResponseCache.js';
import { type ClientRuntime, type Step, tell } from './context.js';

/**
 * A read whose call failed for good is answered from its last good value, if that is not older than the
 * dependency's `maxStaleMs`; the response says so (`x-brownout-source: cache` and its freshness).
 */
export const fallbackStep =
  (rt: ClientRuntime): Step =>
  async (ctx, next) => {
    if (!ctx.cacheReads) return next(ctx);
    try {
      return await next(ctx);
    } catch (e) {
      const error = e as BrownoutError;
      if (error.kind === 'aborted') throw error;
      const entry = await Promise.resolve()
        .then(() => rt.cache?.get(ctx.cacheKey))
        .catch(() => undefined);
      const ageMs = entry ? rt.clock.now() - entry.fetchedAt : Number.POSITIVE_INFINITY;
      if (!entry || ageMs > ctx.policy.maxStaleMs) throw error;
      tell(rt, ctx, {
        type: 'fallback',
        key: ctx.cacheKey,
        fetchedAt: entry.fetchedAt,
        ageMs,
        error,
        lastError: ctx.lastError,
      });
      const headers = new Headers(entry.headers as [string, string][]);
      headers.set(SOURCE_HEADER, 'cache');
      const body = ctx.method === 'HEAD' ? null : entry.body.slice();
      return markFreshness(new Response(body as BodyInit | null, { status: entry.status, headers }), {
        key: ctx.cacheKey,
        source: 'cache',
        fetchedAt: entry.fetchedAt,
      });
    }
  };
