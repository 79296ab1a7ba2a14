import { parseHttpDate, parseRetryAfter } from '../../src/index.js';

const NOW = Date.UTC(1994, 10, 6, 8, 49, 0); // Sun, 06 Nov 1994 08:49:00 GMT

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  test.each([
    ['0', 0],
    ['7', 7_000],
    ['120', 120_000],
    [' 3 ', 3_000],
  ])('delay-seconds %j → %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  test.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['obsolete RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['ANSI C asctime', 'Sun Nov  6 08:49:37 1994'],
  ])('an HTTP-date in %s form', (_form, value) => {
    expect(parseRetryAfter(value, NOW)).toBe(37_000);
  });

  test('a date in the past means now', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:00:00 GMT', NOW)).toBe(0);
  });

  test.each([
    ['a fraction', '1.5'],
    ['a negative', '-5'],
    ['empty', ''],
    ['blank', '   '],
    ['duplicated by a proxy', '120, 120'],
    ['two dates', 'Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT'],
    ['words', 'soon'],
    ['31 February', 'Wed, 31 Feb 1994 08:49:37 GMT'],
    ['a lowercase zone', 'Sun, 06 Nov 1994 08:49:37 gmt'],
    ['a numeric zone', 'Sun, 06 Nov 1994 08:49:37 +0000'],
    ['hour 24', 'Sun, 06 Nov 1994 24:00:00 GMT'],
    ['an exponent', '1e3'],
    ['hex', '0x10'],
    ['too large to be safe', '9'.repeat(30)],
  ])('%s is treated as absent', (_what, value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  test('null and undefined are absent', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  test('two-digit RFC 850 years more than 50 years ahead are the past century', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(2026, 0, 1))).toBe(
      Date.UTC(1994, 10, 6, 8, 49, 37),
    );
    expect(parseHttpDate('Friday, 06-Nov-26 08:49:37 GMT', Date.UTC(2026, 0, 1))).toBe(
      Date.UTC(2026, 10, 6, 8, 49, 37),
    );
  });
});
