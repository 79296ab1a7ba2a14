/**
 * A `Retry-After` value: delay-seconds as a number, a `Date` (sent as an HTTP date), or a string sent
 * exactly as given, so that invalid values (`'1.5'`, `'-5'`, `''`) can be tested too.
 * @example
 * const inThirtySeconds: RetryAfter = 30;
 * const atNoon: RetryAfter = new Date('2026-10-21T12:00:00Z'); // 'Wed, 21 Oct 2026 12:00:00 GMT'
 */
export type RetryAfter = number | Date | string;

/**
 * The header value of a {@link RetryAfter} (internal). A `Date` becomes an IMF-fixdate
 * (`toUTCString`, RFC 9110 §5.6.7); an invalid `Date` is a `RangeError` naming `where`.
 * @example
 * retryAfterValue(new Date(0), 'rateLimited'); // 'Thu, 01 Jan 1970 00:00:00 GMT'
 */
export function retryAfterValue(value: RetryAfter, where: string): string {
  if (!(value instanceof Date)) return String(value);
  if (Number.isNaN(value.getTime())) throw new RangeError(`${where}: retryAfter is an invalid Date.`);
  return value.toUTCString();
}
