import type { BrownoutError } from '../BrownoutError.js';
import { holdDependency } from '../dependency.js';
import { abortedError, httpError, timeoutError } from '../errors.js';
import { parseProblem, readBounded } from '../problem.js';
import { parseRetryAfter } from '../retryAfter.js';
import { watchBody } from '../watchBody.js';
import type { CallContext, ClientRuntime, Step } from './context.js';
import { watchedResponse } from './watchResponse.js';

/**
 * An answer below 400 is handed on with its body watched (stalls, the deadline, the caller's abort) and
 * kept for the cache; an error status becomes a BrownoutError from a bounded read of its problem details,
 * and a 429/503's `Retry-After` (clamped to `retry.maxRetryAfterMs`) holds the whole dependency.
 */
export const responseStep =
  (rt: ClientRuntime): Step =>
  async (ctx, next) => {
    const response = await next(ctx);
    if (response.status < 400) return watchedResponse(rt, ctx, response);
    throw await errorOf(rt, ctx, response);
  };

async function errorOf(rt: ClientRuntime, ctx: CallContext, response: Response): Promise<BrownoutError> {
  const { clock } = rt;
  // A bounded slice of the body (still under the read timeout), for problem details.
  let text = '';
  try {
    const watched = response.body
      ? watchBody(response.body, {
          clock,
          idleMs: ctx.timeouts.bodyIdleMs,
          deadline: ctx.deadline,
          signal: undefined,
          stop: rt.disposal.signal,
          onTimeout: (which) => timeoutError(ctx, which, ctx.timeouts),
          onAbort: (reason) => abortedError(ctx, reason),
          onError: (cause) => cause as Error,
          onSettled: () => {},
        })
      : null;
    text = (await readBounded(watched, rt.maxErrorBodyBytes)).text;
  } catch {
    // A broken error body still gives a clean error from the status alone.
  }
  const { status } = response;
  const problem = parseProblem(status, response.headers.get('content-type'), text);
  const asked =
    status === 429 || status === 503
      ? parseRetryAfter(response.headers.get('retry-after'), clock.now())
      : undefined;
  // A server's hold is bounded: years (or a far HTTP date) are cut to maxRetryAfterMs, visibly.
  const { maxRetryAfterMs, statuses } = ctx.policy.retry;
  const retryAt = asked === undefined ? undefined : clock.now() + Math.min(asked, maxRetryAfterMs);
  if (asked !== undefined && retryAt !== undefined) {
    holdDependency(rt, ctx.dep, { status, until: retryAt, askedMs: asked, clamped: asked > maxRetryAfterMs });
  }
  return httpError(ctx, status, problem, { retriable: statuses.has(status), retryAt });
}
