import { type ClientOptions, createClient } from '../../src/index.js';

const withDep = (dep: object): ClientOptions => ({ dependencies: { pricing: dep } });

describe('createClient validates options at creation, naming the dependency and the option', () => {
  test.each([
    [
      'a negative timeout',
      withDep({ timeouts: { headersMs: -1 } }),
      RangeError,
      /"pricing", option "timeouts.headersMs"/,
    ],
    ['a zero total', withDep({ timeouts: { totalMs: 0 } }), RangeError, /timeouts.totalMs/],
    ['a NaN timeout', withDep({ timeouts: { bodyIdleMs: Number.NaN } }), TypeError, /timeouts.bodyIdleMs/],
    [
      'a string timeout',
      withDep({ timeouts: { bodyIdleMs: '5s' } }),
      TypeError,
      /must be a number, got "5s"/,
    ],
    ['maxAttempts 0', withDep({ retry: { maxAttempts: 0 } }), RangeError, /retry.maxAttempts/],
    [
      'maxAttempts 1.5',
      withDep({ retry: { maxAttempts: 1.5 } }),
      RangeError,
      /retry.maxAttempts" must be an integer/,
    ],
    [
      'capMs below baseMs',
      withDep({ retry: { baseMs: 500, capMs: 100 } }),
      RangeError,
      /retry.capMs" must be ≥ retry.baseMs/,
    ],
    ['an unknown jitter', withDep({ retry: { jitter: 'random' } }), RangeError, /retry.jitter/],
    ['a status out of range', withDep({ retry: { statuses: [700] } }), RangeError, /retry.statuses/],
    ['statuses not an array', withDep({ retry: { statuses: 503 } }), TypeError, /retry.statuses/],
    ['a bad baseUrl', withDep({ baseUrl: 'http://[::1' }), TypeError, /baseUrl/],
    [
      'a dependency that is not an object',
      withDep(5 as never),
      TypeError,
      /dependency "pricing" must be an options object/,
    ],
    [
      'ratio above 1',
      { ...withDep({}), retryBudget: { ratio: 1.5 } },
      RangeError,
      /retryBudget.ratio" must be ≥ 0 and ≤ 1/,
    ],
    [
      'a negative floor',
      { ...withDep({}), retryBudget: { minPerSecond: -1 } },
      RangeError,
      /retryBudget.minPerSecond/,
    ],
    [
      'a tiny budget window',
      { ...withDep({}), retryBudget: { windowMs: 1 } },
      RangeError,
      /retryBudget.windowMs/,
    ],
    [
      'a bad header name',
      { ...withDep({}), idempotencyHeader: 'Idempotency Key' },
      TypeError,
      /idempotencyHeader/,
    ],
    ['a bad deadline header', { ...withDep({}), deadlineHeader: 'x:y' }, TypeError, /deadlineHeader/],
    ['a relative allowed origin', { ...withDep({}), allowedOrigins: ['/api'] }, TypeError, /allowedOrigins/],
    ['a negative error body cap', { ...withDep({}), maxErrorBodyBytes: -1 }, RangeError, /maxErrorBodyBytes/],
    ['no dependencies', {} as ClientOptions, TypeError, /"dependencies"/],
  ])('%s', (_what, options, type, message) => {
    expect(() => createClient(options as ClientOptions)).toThrow(type);
    expect(() => createClient(options as ClientOptions)).toThrow(message);
  });

  test('Infinity is a valid total and a valid maxAttempts', () => {
    expect(() =>
      createClient(withDep({ timeouts: { totalMs: Infinity }, retry: { maxAttempts: Infinity } })),
    ).not.toThrow();
  });

  test('an unknown dependency name at call time is a TypeError listing the known ones', async () => {
    const client = createClient({ dependencies: { pricing: {}, orders: {} } });
    await expect(client.fetch('reviews' as 'pricing', '/x')).rejects.toThrow(
      new TypeError('Brownout: unknown dependency "reviews". Known: pricing, orders.'),
    );
    expect(() => client.fetcher('reviews' as 'pricing')).toThrow(TypeError);
    expect(() => client.metrics('reviews' as 'pricing')).toThrow(TypeError);
  });

  test('dependencies lists the names', () => {
    expect(createClient({ dependencies: { a: {}, b: {} } }).dependencies).toEqual(['a', 'b']);
  });
});
