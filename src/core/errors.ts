import { BrownoutError, type ProblemDetails, statusTitle } from './BrownoutError.js';

export type { ErrorCode } from './BrownoutError.js';

/** Who a call's error is about: filled into every error the factories make. */
export interface ErrorSubject {
  readonly name: string;
  readonly correlationId?: string | undefined;
}

const seconds = (ms: number): string => `${Math.ceil(ms / 1000)} s`;
const untilText = (retryAt: number): string =>
  Number.isFinite(retryAt) ? ` until ${new Date(retryAt).toISOString()}` : '';
const who = (s: ErrorSubject) =>
  s.correlationId === undefined
    ? { dependency: s.name }
    : { dependency: s.name, correlationId: s.correlationId };

/** The call was cancelled by the app (its signal), or `reason` otherwise. */
export const abortedError = (s: ErrorSubject, reason: unknown): BrownoutError =>
  new BrownoutError({
    ...who(s),
    kind: 'aborted',
    code: 'aborted',
    title: 'Request cancelled',
    message: `The call to ${s.name} was cancelled by the app.`,
    cause: reason,
  });

/** The client was disposed while the call was in flight. */
export const disposedError = (): BrownoutError =>
  new BrownoutError({
    kind: 'aborted',
    code: 'aborted.disposed',
    title: 'Client disposed',
    message: 'The Brownout client was disposed while this call was in flight.',
  });

/** A time limit ran out: for headers, between body chunks, or the call's whole deadline (not retried). */
export const timeoutError = (
  s: ErrorSubject,
  which: 'headers' | 'body' | 'total',
  limits: { readonly headersMs: number; readonly bodyIdleMs: number; readonly totalMs: number },
): BrownoutError =>
  new BrownoutError({
    ...who(s),
    kind: 'timeout',
    code: `timeout.${which}`,
    title: 'Request timed out',
    message:
      which === 'headers'
        ? `${s.name} did not answer within ${limits.headersMs} ms.`
        : which === 'body'
          ? `${s.name} stopped sending its response for ${limits.bodyIdleMs} ms.`
          : `The call to ${s.name} ran out of its ${limits.totalMs} ms.`,
    retriable: which !== 'total',
  });

/** fetch rejected: the dependency could not be reached, or (when offline) the device could not. */
export const networkError = (
  s: ErrorSubject,
  cause: unknown,
  how: { readonly offline: boolean; readonly retriable: boolean },
): BrownoutError =>
  how.offline
    ? new BrownoutError({
        ...who(s),
        kind: 'network',
        code: 'network.offline',
        title: 'Offline',
        message: `${s.name} could not be reached: the device is offline.`,
        retriable: false,
        cause,
      })
    : new BrownoutError({
        ...who(s),
        kind: 'network',
        code: 'network',
        title: 'Network error',
        message: `${s.name} could not be reached (offline, DNS, connection refused or blocked).`,
        retriable: how.retriable,
        cause,
      });

/** The connection broke while a response body was read. */
export const bodyBrokenError = (s: ErrorSubject, cause: unknown): BrownoutError =>
  new BrownoutError({
    ...who(s),
    kind: 'network',
    code: 'network.body',
    title: 'Network error',
    message: `The connection to ${s.name} broke while its response was read.`,
    cause,
  });

/** The dependency answered with an error status; `problem` is what its body said. */
export const httpError = (
  s: ErrorSubject,
  status: number,
  problem: Partial<ProblemDetails> & { readonly extensions?: Readonly<Record<string, unknown>> },
  how: { readonly retriable: boolean; readonly retryAt?: number | undefined },
): BrownoutError => {
  const detail = problem.detail === undefined ? '' : ` ${problem.detail}`;
  return new BrownoutError({
    ...problem,
    ...who(s),
    kind: 'http',
    code: `http.${status}`,
    message: `${s.name} answered ${status} ${problem.title ?? statusTitle(status)}.${detail}`,
    retriable: how.retriable,
    ...(how.retryAt === undefined ? {} : { retryAt: how.retryAt }),
  });
};

/** An open breaker, a `Retry-After` hold or a probe in flight refused the call before it was sent. */
export const breakerOpenError = (
  s: ErrorSubject,
  refusal: { readonly why: 'open' | 'probing' | 'held'; readonly retryAt: number },
  attempts: number,
  cause: BrownoutError | undefined,
): BrownoutError =>
  new BrownoutError({
    ...who(s),
    kind: 'breaker-open',
    code: `breaker.${refusal.why}`,
    title: 'Temporarily unavailable',
    message:
      refusal.why === 'held'
        ? `${s.name} asked not to be called${untilText(refusal.retryAt)} (Retry-After).`
        : refusal.why === 'probing'
          ? `${s.name} is being probed after an outage; calls wait for the probe.`
          : `${s.name} is unavailable: its circuit breaker is open${untilText(refusal.retryAt)}.`,
    retryAt: refusal.retryAt,
    attempts,
    ...(cause === undefined ? {} : { cause }),
  });

/** A failure would have been retried, but the retry budget is spent. */
export const budgetError = (s: ErrorSubject, attempts: number, cause: BrownoutError): BrownoutError =>
  new BrownoutError({
    ...who(s),
    kind: 'budget-exhausted',
    code: 'budget.exhausted',
    title: 'Retry budget exhausted',
    message: `${s.name} failed and the retry budget is spent: not retrying, to avoid adding load.`,
    attempts,
    cause,
    ...(cause.retryAt === undefined ? {} : { retryAt: cause.retryAt }),
  });

/** The bulkhead is full: too many calls in flight and waiting. */
export const queueFullError = (s: ErrorSubject, maxConcurrent: number, maxQueue: number): BrownoutError =>
  new BrownoutError({
    ...who(s),
    kind: 'queue-full',
    code: 'queue.full',
    title: 'Too many requests in flight',
    message: `${s.name} already has ${maxConcurrent} calls in flight and ${maxQueue} waiting.`,
  });

/** A body that is not valid JSON. */
export const parseError = (s: ErrorSubject, status: number, cause: unknown): BrownoutError =>
  new BrownoutError({
    ...who(s),
    kind: 'parse',
    code: 'parse.json',
    title: 'Malformed response',
    message: `${s.name} sent a response that is not valid JSON.`,
    status,
    cause,
  });

/** `error`, told that the server's retry time falls after the call's deadline. */
export const pastDeadline = (error: BrownoutError, askedMs: number): BrownoutError =>
  error.with({
    message: `${error.message} It asked to retry in ${seconds(askedMs)}, after this call's deadline.`,
  });
