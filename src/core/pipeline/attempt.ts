import type { BrownoutError } from '../BrownoutError.js';
import { monotonicNow } from '../clock.js';
import { abortedError, networkError, timeoutError } from '../errors.js';
import { fetchKeepingHeaders } from '../redirects.js';
import { createTraceparent, isPropagationAllowed } from '../trace.js';
import { type CallContext, type ClientRuntime, tell } from './context.js';

/**
 * The innermost step: one attempt on the network. Sets the attempt's trace and deadline headers, sends it
 * under the headers timeout (cut to the deadline), and turns a rejected fetch into a timeout, an abort, an
 * offline or a network error. Resolves with the response as it came, whatever its status.
 */
export const attemptStep = (rt: ClientRuntime) => {
  const { clock } = rt;
  // The headers the client adds for allowed origins only, and who may receive them after a redirect.
  const ownHeaders = ['traceparent', rt.idempotencyHeader, ...(rt.deadlineHeader ? [rt.deadlineHeader] : [])];
  const mayReceive = (target: URL): boolean => isPropagationAllowed(target, rt.allowedOrigins);
  return async (ctx: CallContext): Promise<Response> => {
    const { timeouts, signal, headers } = ctx;
    const started = monotonicNow(clock);
    const left = ctx.deadline - started;
    if (left <= 0) throw timeoutError(ctx, 'total', timeouts);
    if (ctx.propagate) {
      if (rt.trace) headers.set('traceparent', createTraceparent(ctx.correlationId));
      if (rt.deadlineHeader) headers.set(rt.deadlineHeader, String(Math.max(0, Math.floor(left))));
    }
    tell(rt, ctx, { type: 'attempt', attempt: ctx.attempt, method: ctx.method, url: ctx.url });
    // A listener may have disposed the client or aborted the call: then nothing is sent, no timer set.
    if (rt.disposal.signal.aborted) throw rt.disposal.signal.reason;
    if (signal?.aborted) throw abortedError(ctx, signal.reason);
    const controller = new AbortController();
    ctx.controller = controller;
    let limit: 'headers' | 'total' | undefined;
    let disposedWith: BrownoutError | undefined;
    const headersWait = Math.min(timeouts.headersMs, left);
    const timer = clock.setTimeout(() => {
      limit = headersWait < timeouts.headersMs ? 'total' : 'headers';
      controller.abort(timeoutError(ctx, limit, timeouts));
    }, headersWait);
    if (timeouts.slowMs < headersWait) ctx.slow.waiting();
    const onAbort = (): void => controller.abort(signal?.reason);
    const onDispose = (reason: BrownoutError): void => {
      disposedWith = reason;
      release();
      ctx.slow.pause();
      controller.abort(reason);
    };
    const release = (): void => {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      rt.inFlight.delete(onDispose);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    rt.inFlight.add(onDispose);
    let response: Response;
    try {
      const init: RequestInit = { ...ctx.init, method: ctx.method, headers, signal: controller.signal };
      const target = ctx.request ? ctx.request.clone() : ctx.url;
      response = ctx.followsRedirects
        ? await fetchKeepingHeaders(rt.fetch, target, init, ownHeaders, mayReceive)
        : await rt.fetch(target, init);
    } catch (cause) {
      release();
      ctx.slow.pause();
      if (disposedWith) throw disposedWith;
      if (signal?.aborted) throw abortedError(ctx, signal.reason);
      if (limit) throw timeoutError(ctx, limit, timeouts);
      // Offline is the user's connection, not the dependency: not retried, not held against its breaker.
      const offline = !rt.environment.online();
      throw networkError(ctx, cause, { offline, retriable: ctx.policy.retry.networkErrors });
    }
    release();
    ctx.slow.arrived();
    tell(rt, ctx, { type: 'latency', ms: monotonicNow(clock) - started });
    return response;
  };
};
