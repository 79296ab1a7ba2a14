import type { BrownoutError } from '../BrownoutError.js';
import { breakerOpenError } from '../errors.js';
import { classify } from '../failure.js';
import { type ClientRuntime, type Step, tell } from './context.js';

/**
 * Each attempt asks the dependency's breaker (and any `Retry-After` hold) for leave, and reports how it
 * ended: a success, or the failure as the one failure model counts it. A body that stalls or breaks after
 * good headers turns the success into a failure.
 */
export const breakerStep =
  (rt: ClientRuntime): Step =>
  async (ctx, next) => {
    const { dep } = ctx;
    const permit = dep.breaker.acquire();
    if (!('done' in permit)) {
      const refused = breakerOpenError(ctx, permit, ctx.attempt - 1, ctx.lastError);
      tell(rt, ctx, { type: 'failed', error: refused });
      throw refused;
    }
    const attempts = ctx.attempt;
    ctx.bodyFailed = (stall) => {
      permit.done('failure');
      tell(rt, ctx, { type: 'body-failed', error: stall });
    };
    try {
      const response = await next(ctx);
      permit.done('success');
      dep.awaitingProbe = false;
      tell(rt, ctx, { type: 'success', attempts, status: response.status });
      return response;
    } catch (e) {
      const error = (e as BrownoutError).with({
        attempts,
        dependency: ctx.name,
        correlationId: ctx.correlationId,
      });
      ctx.lastError = error;
      permit.done(classify(error).breaker);
      dep.awaitingProbe = false;
      tell(rt, ctx, { type: 'failed', error });
      throw error;
    }
  };
