import { abortedError, queueFullError, timeoutError } from '../errors.js';
import { type ClientRuntime, type Step, tell } from './context.js';

/**
 * At most `maxConcurrent` calls of a dependency in flight: a free slot is taken synchronously; otherwise the
 * call waits in a queue of `maxQueue`, within its deadline, and is refused when the queue is full.
 */
export const bulkheadStep =
  (rt: ClientRuntime): Step =>
  async (ctx, next) => {
    const slot = ctx.dep.bulkhead.acquire(ctx.deadline, ctx.signal);
    let release: () => void;
    if (typeof slot === 'function') release = slot;
    else {
      try {
        release = await slot;
      } catch (why) {
        const error =
          why === 'aborted'
            ? abortedError(ctx, ctx.signal?.reason)
            : why === 'timeout'
              ? timeoutError(ctx, 'total', ctx.timeouts)
              : queueFullError(ctx, ctx.policy.maxConcurrent, ctx.policy.maxQueue);
        tell(rt, ctx, { type: 'failed', error });
        throw error;
      }
    }
    try {
      return await next(ctx);
    } finally {
      release();
    }
  };
