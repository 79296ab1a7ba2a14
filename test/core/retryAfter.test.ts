import { parseHttpDate, parseRetryAfter } from '../../src/core/retryAfter.js';

const NOW = Date.UTC(1994, 10, 6, 8, 49, 0); // Sun, 06 Nov 1994 08:49:00 GMT

describe('Retry-After as delay-seconds (RFC 9110 §10.2.3)', () => {
  test.each([
    ['0', 0],
    ['7', 7_000],
    ['120', 120_000],
    [' 3 ', 3_000],
    ['007', 7_000],
    ['86400', 86_400_000],
  ])('%j → %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  test('is relative: the same value means the same wait whatever the time now', () => {
    expect(parseRetryAfter('5', 0)).toBe(5_000);
    expect(parseRetryAfter('5', NOW)).toBe(5_000);
  });
});

describe('Retry-After as an HTTP-date, in all three forms', () => {
  test.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['obsolete RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['ANSI C asctime', 'Sun Nov  6 08:49:37 1994'],
  ])('%s is the wait until that instant', (_form, value) => {
    expect(parseRetryAfter(value, NOW)).toBe(37_000);
  });

  test.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:00:00 GMT'],
    ['obsolete RFC 850', 'Sunday, 06-Nov-94 08:00:00 GMT'],
    ['ANSI C asctime', 'Sun Nov  6 08:00:00 1994'],
    ['IMF-fixdate, years ago', 'Mon, 01 Jan 1990 00:00:00 GMT'],
  ])('a date in the past (%s) means now: 0', (_form, value) => {
    expect(parseRetryAfter(value, NOW)).toBe(0);
  });

  test('asctime accepts a two-digit day too', () => {
    expect(parseHttpDate('Thu Nov 17 08:49:37 1994', NOW)).toBe(Date.UTC(1994, 10, 17, 8, 49, 37));
  });

  test('month names are matched without regard to case, as HTTP parsers do', () => {
    expect(parseHttpDate('Sun, 06 NOV 1994 08:49:37 GMT', NOW)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  test('29 February is valid in a leap year only', () => {
    expect(parseHttpDate('Thu, 29 Feb 2024 00:00:00 GMT', NOW)).toBe(Date.UTC(2024, 1, 29));
    expect(parseHttpDate('Wed, 29 Feb 2023 00:00:00 GMT', NOW)).toBeUndefined();
  });

  test('a leap second (:60) is read as the last second of the minute', () => {
    expect(parseHttpDate('Sat, 31 Dec 2016 23:59:60 GMT', NOW)).toBe(Date.UTC(2016, 11, 31, 23, 59, 59));
  });

  test('two-digit RFC 850 years more than 50 years ahead are the past century', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(2026, 0, 1))).toBe(
      Date.UTC(1994, 10, 6, 8, 49, 37),
    );
    expect(parseHttpDate('Friday, 06-Nov-26 08:49:37 GMT', Date.UTC(2026, 0, 1))).toBe(
      Date.UTC(2026, 10, 6, 8, 49, 37),
    );
    expect(parseHttpDate('Monday, 06-Nov-75 08:49:37 GMT', Date.UTC(2026, 0, 1))).toBe(
      Date.UTC(2075, 10, 6, 8, 49, 37),
    );
  });
});

describe('invalid Retry-After values are treated as absent', () => {
  test.each([
    ['a fraction', '1.5'],
    ['a negative', '-5'],
    ['a plus sign', '+5'],
    ['empty', ''],
    ['blank', '  '],
    ['duplicated by a proxy', '120, 120'],
    ['two values', '120,5'],
    ['two dates', 'Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT'],
    ['garbage', 'soon'],
    ['garbage with digits', '12abc'],
    ['31 February (IMF-fixdate)', 'Wed, 31 Feb 1994 08:49:37 GMT'],
    ['31 February (RFC 850)', 'Wednesday, 31-Feb-94 08:49:37 GMT'],
    ['31 February (asctime)', 'Wed Feb 31 08:49:37 1994'],
    ['31 April', 'Sat, 31 Apr 1994 08:49:37 GMT'],
    ['day 0', 'Sun, 00 Nov 1994 08:49:37 GMT'],
    ['an unknown month', 'Sun, 06 Nox 1994 08:49:37 GMT'],
    ['a lowercase zone', 'Sun, 06 Nov 1994 08:49:37 gmt'],
    ['a numeric zone', 'Sun, 06 Nov 1994 08:49:37 +0000'],
    ['hour 24', 'Sun, 06 Nov 1994 24:00:00 GMT'],
    ['minute 60', 'Sun, 06 Nov 1994 08:60:00 GMT'],
    ['a one-digit IMF day', 'Sun, 6 Nov 1994 08:49:37 GMT'],
    ['an ISO 8601 date', '1994-11-06T08:49:37Z'],
    ['an exponent', '1e3'],
    ['hex', '0x10'],
    ['Infinity', 'Infinity'],
    ['too large to be safe', '9'.repeat(30)],
  ])('%s', (_what, value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  test('null and undefined are absent', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});
