import { monotonicNow } from '../clock.js';
import type { Dependency } from '../dependency.js';
import { createIdempotencyKey } from '../ids.js';
import { withBaseUrl } from '../options.js';
import { seesRedirects } from '../redirects.js';
import { slowWait } from '../slowWait.js';
import { createTraceId, isPropagationAllowed, traceIdOf } from '../trace.js';
import type { BrownoutRequestInit } from '../types.js';
import type { CallContext, ClientRuntime } from './context.js';

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
// A method is an HTTP token (RFC 9110 §9.1); fetch forbids these three (Fetch §2.2.1, "forbidden method").
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * Reads a call's input once: method, URL (resolved and checked), headers, idempotency key, deadline, whether
 * it may be resent and cached. Bad input is the caller's error, thrown now as a TypeError: never retried,
 * never counted against the dependency's breaker.
 */
export function prepare(
  rt: ClientRuntime,
  dep: Dependency,
  input: RequestInfo | URL,
  init: BrownoutRequestInit,
): CallContext {
  const { policy } = dep;
  const name = policy.name;
  const timeouts = init.timeouts ? { ...policy.timeouts, ...init.timeouts } : policy.timeouts;
  const request = input instanceof Request ? input : undefined;
  const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
  const url = request ? request.url : withBaseUrl(policy.baseUrl, String(input));
  const parsed = checkTarget(name, url, method, init);
  const propagate = isPropagationAllowed(parsed, rt.allowedOrigins);
  const headers = new Headers(init.headers ?? request?.headers);
  const correlationId = traceIdOf(headers.get('traceparent')) ?? createTraceId();
  const keyHeader = rt.idempotencyHeader;
  let key = init.idempotencyKey ?? headers.get(keyHeader) ?? undefined;
  if (key === undefined && policy.idempotencyKeys && !IDEMPOTENT_METHODS.has(method) && propagate) {
    key = createIdempotencyKey();
  }
  if (key !== undefined && propagate) headers.set(keyHeader, key);
  const keyed = key !== undefined && headers.has(keyHeader);
  const bodyReplayable = !(init.body instanceof ReadableStream);
  const {
    timeouts: _timeouts,
    idempotencyKey: _key,
    cacheKey: _cacheKey,
    maxAttempts: _maxAttempts,
    orderKey: _orderKey,
    ...requestInit
  } = init;
  const isRead = method === 'GET' || method === 'HEAD';
  return {
    dep,
    name,
    policy,
    timeouts,
    // On the monotonic clock: a wall clock set an hour forward must not end the call at once.
    deadline: monotonicNow(rt.clock) + timeouts.totalMs,
    signal: init.signal ?? request?.signal ?? undefined,
    method,
    url,
    request,
    headers,
    correlationId,
    propagate,
    // RFC 9110 §9.2.2: only idempotent methods, or writes the server can deduplicate by key, are resent.
    resendable: (IDEMPOTENT_METHODS.has(method) || keyed) && bodyReplayable,
    init: requestInit,
    // Where fetch shows redirects (not in a page), they are followed here, so that the trace, idempotency
    // and deadline headers never reach an origin that may not have them. A body that cannot be sent twice,
    // or a Request's own body, is left to fetch (which cannot resend a stream either).
    followsRedirects:
      propagate &&
      (requestInit.redirect ?? request?.redirect ?? 'follow') === 'follow' &&
      bodyReplayable &&
      !request?.body &&
      seesRedirects(),
    maxAttempts: init.maxAttempts ?? policy.retry.maxAttempts,
    isRead,
    cacheKey: init.cacheKey ?? `${method} ${url}`,
    cacheReads: isRead && policy.reads === 'cache' && rt.cache !== undefined,
    slow: slowWait(rt.clock, dep.slow, timeouts.slowMs),
    attempt: 0,
    lastError: undefined,
    controller: undefined,
    bodyFailed: undefined,
  };
}

/** The URL, resolved and checked: http(s) only, no credentials; a method fetch can send; no body on a read. */
function checkTarget(name: string, url: string, method: string, init: BrownoutRequestInit): URL {
  const location = (globalThis as { location?: { href?: string } }).location?.href;
  const parsed = URL.canParse(url, location) ? new URL(url, location) : undefined;
  if (!parsed) {
    throw new TypeError(
      `Brownout: cannot resolve the URL "${url}" for dependency "${name}": give the dependency a baseUrl or pass an absolute URL.`,
    );
  }
  // `file:`, `ftp:`, `data:`… would fail on every attempt and open the breaker over the caller's mistake.
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(
      `Brownout: the URL "${url}" for dependency "${name}" uses ${parsed.protocol.slice(0, -1)}: only http and https are called.`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new TypeError(
      `Brownout: the URL for dependency "${name}" has credentials in it; send them in a header (e.g. Authorization) instead.`,
    );
  }
  // fetch refuses these with a TypeError that would look like a network error: retried, counted.
  if (!METHOD_TOKEN.test(method) || FORBIDDEN_METHODS.has(method)) {
    throw new TypeError(
      `Brownout: ${JSON.stringify(method)} is not a method fetch can send (dependency "${name}").`,
    );
  }
  if ((method === 'GET' || method === 'HEAD') && init.body != null) {
    throw new TypeError(`Brownout: a ${method} request to "${name}" cannot have a body.`);
  }
  return parsed;
}
