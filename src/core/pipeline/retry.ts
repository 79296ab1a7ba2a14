import { BrownoutError } from '../BrownoutError.js';
import { monotonicNow } from '../clock.js';
import { abortedError, budgetError, pastDeadline } from '../errors.js';
import { type CallContext, type ClientRuntime, type Step, sleep, tell } from './context.js';

/**
 * Tries again what may be tried again (a transient failure, a method that may be resent, attempts left):
 * after a full-jitter backoff or the server's `Retry-After`, whichever is longer, only while the deadline
 * allows it and the retry budget has a token.
 */
export const retryStep =
  (rt: ClientRuntime): Step =>
  async (ctx, next) => {
    let previousMs = 0;
    try {
      for (;;) {
        ctx.attempt++;
        let error: BrownoutError;
        try {
          return await next(ctx);
        } catch (e) {
          error = e as BrownoutError;
        }
        const delayMs = retryDelay(rt, ctx, error, previousMs);
        tell(rt, ctx, { type: 'retry', attempt: ctx.attempt, delayMs, reason: error });
        previousMs = delayMs;
        try {
          await sleep(rt, ctx, delayMs, (why) => abortedError(ctx, why));
          // An abort in the same task as the sleep's end finds no listener left: check before the next attempt.
          if (ctx.signal?.aborted) throw abortedError(ctx, ctx.signal.reason);
        } catch (reason) {
          const aborted =
            reason instanceof BrownoutError
              ? reason.with({ attempts: ctx.attempt, dependency: ctx.name, correlationId: ctx.correlationId })
              : abortedError(ctx, reason).with({ attempts: ctx.attempt });
          tell(rt, ctx, { type: 'failed', error: aborted });
          throw aborted;
        }
      }
    } finally {
      ctx.slow.arrived();
    }
  };

/** How long to wait before trying `error`'s call again; throws the call's final error when it may not. */
function retryDelay(rt: ClientRuntime, ctx: CallContext, error: BrownoutError, previousMs: number): number {
  if (!error.retriable || !ctx.resendable || ctx.attempt >= ctx.maxAttempts) throw error;
  // The caller aborted while nothing listened (the error body was being read): no retry.
  if (ctx.signal?.aborted) {
    const aborted = abortedError(ctx, ctx.signal.reason).with({ attempts: ctx.attempt });
    tell(rt, ctx, { type: 'failed', error: aborted });
    throw aborted;
  }
  const { retry } = ctx.policy;
  const backoff = ctx.dep.backoff({
    retry: ctx.attempt - 1,
    baseMs: retry.baseMs,
    capMs: retry.capMs,
    previousMs,
    random: rt.random,
  });
  const asked = error.retryAt === undefined ? 0 : Math.max(0, error.retryAt - rt.clock.now());
  const delay = Math.max(backoff, asked);
  if (monotonicNow(rt.clock) + delay >= ctx.deadline)
    throw asked > backoff ? pastDeadline(error, asked) : error;
  if (!rt.budget.tryRetry()) {
    const refused = budgetError(ctx, ctx.attempt, error);
    tell(rt, ctx, { type: 'failed', error: refused });
    throw refused;
  }
  return delay;
}
