/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date in any of the three forms a recipient
 * must accept (IMF-fixdate, obsolete RFC 850, ANSI C asctime). Anything else — fractions, negatives, an
 * empty value, two values joined by a proxy — is treated as absent.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// Sun, 06 Nov 1994 08:49:37 GMT
const IMF = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ([A-Za-z]{3}) (\\d{4}) ${TIME} GMT$`);
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC850 = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-([A-Za-z]{3})-(\\d{2}) ${TIME} GMT$`,
);
// Sun Nov  6 08:49:37 1994
const ASCTIME = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Za-z]{3}) ([ \\d]\\d) ${TIME} (\\d{4})$`);

const toTime = (
  day: string,
  month: string,
  year: number,
  h: string,
  m: string,
  s: string,
): number | undefined => {
  const mon = MONTHS.indexOf(month.toLowerCase());
  const d = Number(day.trim());
  const [hh, mm, ss] = [Number(h), Number(m), Number(s)];
  if (mon < 0 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return undefined;
  const t = Date.UTC(year, mon, d, hh, mm, Math.min(ss, 59));
  // Reject dates that roll over (31 Feb).
  return new Date(t).getUTCDate() === d ? t : undefined;
};

/** Parses an HTTP-date (all three forms; `nowMs` places two-digit years); `undefined` when it is not one. */
export function parseHttpDate(value: string, nowMs: number): number | undefined {
  let m = IMF.exec(value);
  if (m) return toTime(m[1]!, m[2]!, Number(m[3]), m[4]!, m[5]!, m[6]!);
  m = RFC850.exec(value);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future means the past century.
    const nowYear = new Date(nowMs).getUTCFullYear();
    let year = nowYear - (nowYear % 100) + Number(m[3]);
    if (year > nowYear + 50) year -= 100;
    return toTime(m[1]!, m[2]!, year, m[4]!, m[5]!, m[6]!);
  }
  m = ASCTIME.exec(value);
  if (m) return toTime(m[2]!, m[1]!, Number(m[6]), m[3]!, m[4]!, m[5]!);
  return undefined;
}

/**
 * The wait a `Retry-After` value asks for, in ms from `nowMs` (0 for a date in the past), or
 * `undefined` when the value is absent or invalid.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+$/.test(v)) {
    const seconds = Number(v);
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : undefined;
  }
  const at = parseHttpDate(v, nowMs);
  return at === undefined ? undefined : Math.max(0, at - nowMs);
}
