import { randomHex } from './ids.js';

const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;

/** A new W3C trace id: 32 lowercase hex digits from crypto randomness, never all zeros. */
export const createTraceId = (): string => randomHex(16);

/** A W3C `traceparent` value for `traceId` with a fresh parent (span) id: one per attempt. */
export const createTraceparent = (traceId: string): string => `00-${traceId}-${randomHex(8)}-01`;

/**
 * The trace id of a valid `traceparent` header value (W3C Trace Context §3.2), or `undefined`.
 * Lets an app that already traces keep its own trace id as the correlation id.
 */
export function traceIdOf(traceparent: string | null | undefined): string | undefined {
  const m = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]!) || /^0+$/.test(m[3]!)) return undefined;
  return m[2];
}

/**
 * True when `url` may carry Brownout's trace, idempotency and deadline headers: the page's own origin,
 * or one of `allowedOrigins`. Resolved at call time, never at import.
 */
export function isPropagationAllowed(url: URL | undefined, allowedOrigins: ReadonlySet<string>): boolean {
  if (!url) return false;
  if (allowedOrigins.has(url.origin)) return true;
  const own = (globalThis as { location?: { origin?: string } }).location?.origin;
  return own !== undefined && own !== 'null' && url.origin === own;
}
