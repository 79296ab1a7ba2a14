import type { BrownoutError } from '../BrownoutError.js';
import { abortedError } from '../errors.js';
import { type ClientRuntime, type Step, tell } from './context.js';

/**
 * The outermost step: counts the call, refuses one made after `dispose()` or with an aborted signal, and
 * tells the failure that reaches the caller (marked `partial` for a dependency whose reads may be hidden).
 */
export const settleStep =
  (rt: ClientRuntime): Step =>
  async (ctx, next) => {
    tell(rt, ctx, { type: 'call' });
    rt.budget.recordCall();
    if (rt.disposal.signal.aborted) throw abortedError(ctx, new Error('client disposed'));
    if (ctx.signal?.aborted) {
      const error = abortedError(ctx, ctx.signal.reason);
      tell(rt, ctx, { type: 'failed', error });
      tell(rt, ctx, { type: 'give-up', error, lastError: undefined, told: false });
      throw error;
    }
    try {
      return await next(ctx);
    } catch (e) {
      let error = e as BrownoutError;
      if (ctx.policy.reads === 'partial' && ctx.isRead && error.kind !== 'aborted')
        error = error.with({ partial: true });
      tell(rt, ctx, { type: 'give-up', error, lastError: ctx.lastError });
      throw error;
    }
  };
