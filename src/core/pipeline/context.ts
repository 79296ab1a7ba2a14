import type { BrownoutError } from '../BrownoutError.js';
import { type CallAction, observe } from '../bookkeeping.js';
import type { Clock } from '../clock.js';
import type { Dependency } from '../dependency.js';
import type { Environment } from '../environment.js';
import type { Emitter } from '../events.js';
import type { DependencyPolicy } from '../options.js';
import type { ResponseCache } from '../ResponseCache.js';
import type { RetryBudget } from '../RetryBudget.js';
import type { Random } from '../random.js';
import type { SlowWait } from '../slowWait.js';
import type { BrownoutRequestInit, ClientEvents } from '../types.js';

/** What every call of one client shares: time, chance, the network, the budget, the cache, the events. */
export interface ClientRuntime {
  readonly clock: Clock;
  readonly random: Random;
  readonly environment: Environment;
  readonly fetch: typeof fetch;
  readonly budget: RetryBudget;
  readonly cache: ResponseCache | undefined;
  readonly trace: boolean;
  readonly idempotencyHeader: string;
  readonly deadlineHeader: string | undefined;
  readonly maxErrorBodyBytes: number;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly events: Emitter<ClientEvents>;
  /** Aborted by `dispose()`: also stops body reads, which outlive the call that returned the response. */
  readonly disposal: AbortController;
  /** Calls waiting on a timer or the network, so `dispose()` can fail them at once. */
  readonly inFlight: Set<(reason: BrownoutError) => void>;
  /** Makes a call through the whole pipeline (the probe uses it). */
  call: (name: string, input: RequestInfo | URL, init?: BrownoutRequestInit) => Promise<Response>;
}

/** One call as it moves through the steps: what was asked, decided once, and what has happened so far. */
export interface CallContext {
  readonly dep: Dependency;
  readonly name: string;
  readonly policy: DependencyPolicy;
  readonly timeouts: DependencyPolicy['timeouts'];
  /** The call's deadline on the monotonic clock. */
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  readonly method: string;
  readonly url: string;
  readonly request: Request | undefined;
  /** The headers sent: the caller's, plus the idempotency key; each attempt sets its trace and deadline. */
  readonly headers: Headers;
  readonly correlationId: string;
  /** The target may receive the trace, idempotency and deadline headers (`allowedOrigins`). */
  readonly propagate: boolean;
  /** The method may be sent twice (idempotent, or keyed) and the body can be. */
  readonly resendable: boolean;
  /** The caller's init without Brownout's own members. */
  readonly init: RequestInit;
  /** Redirects are followed by hand, so that Brownout's headers reach allowed origins only. */
  readonly followsRedirects: boolean;
  readonly maxAttempts: number;
  readonly isRead: boolean;
  readonly cacheKey: string;
  /** A read whose good answers are cached and which falls back to the cache. */
  readonly cacheReads: boolean;
  /** The wait for headers, across the retries: slow once it lasts `slowMs`. */
  readonly slow: SlowWait;
  /** Attempts started so far. */
  attempt: number;
  /** The dependency's own last failure in this call (not a refusal of ours in front of it). */
  lastError: BrownoutError | undefined;
  /** The attempt's own abort controller (its timeouts, the caller's signal, disposal). */
  controller: AbortController | undefined;
  /** Set by the breaker for each attempt: a body that stalls or breaks after good headers is a failure. */
  bodyFailed: ((error: BrownoutError) => void) | undefined;
}

/** A step of the pipeline: does its part around `next`, the steps inside it. */
export type Step = (ctx: CallContext, next: (ctx: CallContext) => Promise<Response>) => Promise<Response>;

/** The steps as one function, outermost first, around `last` (like cockatiel's `wrap`). */
export function compose(
  steps: readonly Step[],
  last: (ctx: CallContext) => Promise<Response>,
): (ctx: CallContext) => Promise<Response> {
  return steps.reduceRight<(ctx: CallContext) => Promise<Response>>(
    (inner, step) => (ctx) => step(ctx, inner),
    last,
  );
}

/** Waits `ms` on the client's clock; rejects at once on the caller's abort or the client's disposal. */
export function sleep(
  rt: ClientRuntime,
  ctx: CallContext,
  ms: number,
  aborted: (why: unknown) => BrownoutError,
) {
  const { clock, disposal, inFlight } = rt;
  const sig = ctx.signal;
  return new Promise<void>((resolve, reject) => {
    if (disposal.signal.aborted) return reject(disposal.signal.reason);
    // Aborted by a `retry` listener: no abort event is left to come, so do not sleep first.
    if (sig?.aborted) return reject(aborted(sig.reason));
    const done = (): void => {
      clock.clearTimeout(timer);
      sig?.removeEventListener('abort', onAbort);
      inFlight.delete(onDispose);
    };
    const onAbort = (): void => {
      done();
      reject(aborted(sig?.reason));
    };
    const onDispose = (reason: BrownoutError): void => {
      done();
      reject(reason);
    };
    const timer = clock.setTimeout(() => {
      done();
      resolve();
    }, ms);
    sig?.addEventListener('abort', onAbort, { once: true });
    inFlight.add(onDispose);
  });
}

/** Tells the dependency's bookkeeping what happened in this call. */
export const tell = (rt: ClientRuntime, ctx: CallContext, action: CallAction): void =>
  observe(ctx.dep, rt.events, () => rt.clock.now(), ctx.correlationId, action);
