import { createCoreClient as createClient } from '../../src/core/createCoreClient.js';
import {
  type ClientOptions,
  checkHeaderName,
  checkNumber,
  normalizeDependency,
} from '../../src/core/options.js';

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
    [
      'a negative body idle timeout',
      withDep({ timeouts: { bodyIdleMs: -5 } }),
      RangeError,
      /"pricing", option "timeouts.bodyIdleMs" must be > 0, got -5/,
    ],
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
    [
      'an unknown jitter',
      withDep({ retry: { jitter: 'random' } }),
      RangeError,
      /"pricing", option "retry.jitter" must be 'full', 'equal' or 'decorrelated', got "random"/,
    ],
    ['a negative base', withDep({ retry: { baseMs: -1 } }), RangeError, /"pricing", option "retry.baseMs"/],
    [
      'an unknown criticality',
      withDep({ criticality: 'vital' }),
      RangeError,
      /"pricing", option "criticality"/,
    ],
    ['an unknown read fallback', withDep({ reads: 'stale' }), RangeError, /"pricing", option "reads"/],
    ['maxConcurrent 0', withDep({ maxConcurrent: 0 }), RangeError, /"pricing", option "maxConcurrent"/],
    ['a status out of range', withDep({ retry: { statuses: [700] } }), RangeError, /retry.statuses/],
    ['statuses not an array', withDep({ retry: { statuses: 503 } }), TypeError, /retry.statuses/],
    [
      'a bad baseUrl',
      withDep({ baseUrl: 'http://[::1' }),
      TypeError,
      /"pricing", option "baseUrl" must be a URL/,
    ],
    ['a baseUrl that is not a string', withDep({ baseUrl: 42 }), TypeError, /"pricing", option "baseUrl"/],
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
      /option "idempotencyHeader" must be an HTTP header name, got "Idempotency Key"/,
    ],
    ['an empty header name', { ...withDep({}), idempotencyHeader: '' }, TypeError, /idempotencyHeader/],
    ['a bad deadline header', { ...withDep({}), deadlineHeader: 'x:y' }, TypeError, /deadlineHeader/],
    ['a relative allowed origin', { ...withDep({}), allowedOrigins: ['/api'] }, TypeError, /allowedOrigins/],
    ['a negative error body cap', { ...withDep({}), maxErrorBodyBytes: -1 }, RangeError, /maxErrorBodyBytes/],
    ['no dependencies', {} as ClientOptions, TypeError, /"dependencies"/],
    [
      'a string for a boolean',
      withDep({ retry: { networkErrors: 'false' } }),
      TypeError,
      /"pricing", option "retry.networkErrors" must be true or false, got "false"/,
    ],
    [
      '0 for idempotencyKeys',
      withDep({ idempotencyKeys: 0 }),
      TypeError,
      /option "idempotencyKeys" must be true or false/,
    ],
    [
      'a string for trace',
      { ...withDep({}), trace: 'no' },
      TypeError,
      /option "trace" must be true or false/,
    ],
    [
      'a misspelled option',
      withDep({ timeout: { totalMs: 5 } }),
      TypeError,
      /"pricing", option "timeout" is not an option\. Did you mean "timeouts"\?/,
    ],
    [
      'a misspelled nested option',
      withDep({ retry: { maxAttemps: 2 } }),
      TypeError,
      /option "retry.maxAttemps" is not an option\. Did you mean "retry.maxAttempts"\?/,
    ],
    [
      'an unknown option with no near name',
      withDep({ colour: 'red' }),
      TypeError,
      /"colour" is not an option\.$/,
    ],
    [
      'a nested option that is not an object',
      withDep({ breaker: 5 }),
      TypeError,
      /"breaker" must be an options object/,
    ],
    [
      'a failure rate above 1',
      withDep({ breaker: { failureRate: 1.5 } }),
      RangeError,
      /breaker.failureRate" must be > 0 and ≤ 1/,
    ],
    ['a failure rate of 0', withDep({ breaker: { failureRate: 0 } }), RangeError, /breaker.failureRate/],
    [
      'a NaN Retry-After cap',
      withDep({ retry: { maxRetryAfterMs: Number.NaN } }),
      TypeError,
      /retry.maxRetryAfterMs/,
    ],
    [
      'a misspelled client option',
      { ...withDep({}), retryBudjet: { ratio: 0.2 } },
      TypeError,
      /option "retryBudjet" is not an option\. Did you mean "retryBudget"\?/,
    ],
    [
      'a misspelled retry budget option',
      { ...withDep({}), retryBudget: { ratoi: 0.2 } },
      TypeError,
      /option "retryBudget.ratoi" is not an option\. Did you mean "retryBudget.ratio"\?/,
    ],
    [
      'a retry budget that is not an object',
      { ...withDep({}), retryBudget: 0.2 },
      TypeError,
      /option "retryBudget" must be an options object/,
    ],
    [
      'allowedOrigins as one string',
      { ...withDep({}), allowedOrigins: 'https://api.test' },
      TypeError,
      /option "allowedOrigins" must be an array of origins, got "https:\/\/api.test"/,
    ],
    [
      'an open period that never ends',
      withDep({ breaker: { openMs: Infinity } }),
      RangeError,
      /"pricing", option "breaker.openMs" must be a finite number, got Infinity/,
    ],
    [
      'a probe that never times out',
      withDep({ breaker: { halfOpenTimeoutMs: Infinity } }),
      RangeError,
      /"pricing", option "breaker.halfOpenTimeoutMs" must be a finite number/,
    ],
    [
      'an infinite first backoff',
      withDep({ retry: { baseMs: Infinity, capMs: Infinity } }),
      RangeError,
      /"pricing", option "retry.baseMs" must be a finite number/,
    ],
  ])('%s', (_what, options, type, message) => {
    expect(() => createClient(options as ClientOptions)).toThrow(type);
    expect(() => createClient(options as ClientOptions)).toThrow(message);
  });

  test('Infinity is a valid total and a valid maxAttempts', () => {
    expect(() =>
      createClient(withDep({ timeouts: { totalMs: Infinity }, retry: { maxAttempts: Infinity } })),
    ).not.toThrow();
  });

  test('Infinity turns a breaker rule off, failureRate included', () => {
    const client = createClient(
      withDep({ breaker: { failureRate: Infinity, consecutiveFailures: Infinity } }),
    );
    expect(client.policy('pricing').breaker.failureRate).toBe(Infinity);
  });

  test('an unknown dependency name at call time is a TypeError listing the known ones', async () => {
    const client = createClient({ dependencies: { pricing: {}, orders: {} } });
    await expect(client.fetch('reviews' as 'pricing', '/x')).rejects.toThrow(
      new TypeError('Brownout: unknown dependency "reviews". Known: pricing, orders.'),
    );
    expect(() => client.fetcher('reviews' as 'pricing')).toThrow(TypeError);
    expect(() => client.metrics('reviews' as 'pricing')).toThrow(TypeError);
    expect(() => client.status('reviews' as 'pricing')).toThrow(TypeError);
    await expect(client.json('reviews' as 'pricing', '/x')).rejects.toThrow(TypeError);
  });

  test('the dependency named in the message is the one at fault', () => {
    expect(() =>
      createClient({ dependencies: { pricing: {}, orders: { retry: { maxAttempts: 0 } } } }),
    ).toThrow(/dependency "orders", option "retry.maxAttempts"/);
  });

  test('defaults are filled in and the policy is frozen', () => {
    const policy = normalizeDependency('pricing', {});
    expect(policy).toMatchObject({
      name: 'pricing',
      baseUrl: undefined,
      timeouts: { headersMs: 3_000, bodyIdleMs: 5_000, totalMs: 10_000 },
      retry: { maxAttempts: 3, baseMs: 100, capMs: 5_000, jitter: 'full', networkErrors: true },
      idempotencyKeys: false,
      criticality: 'core',
      onFailure: 'open',
      reads: 'cache',
      writes: 'reject',
    });
    expect([...policy.retry.statuses].sort()).toEqual([408, 429, 500, 502, 503, 504]);
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.timeouts)).toBe(true);
    expect(normalizeDependency('auth', { criticality: 'critical' }).onFailure).toBe('closed');
    expect(normalizeDependency('orders', { writes: 'queue' }).idempotencyKeys).toBe(true);
  });

  test('a trailing slash of baseUrl is dropped', () => {
    expect(normalizeDependency('api', { baseUrl: 'https://api.test/v1//' }).baseUrl).toBe(
      'https://api.test/v1',
    );
  });

  test('checkNumber and checkHeaderName give back valid values unchanged', () => {
    expect(checkNumber(5, 'api', 'x', { min: 1, integer: true })).toBe(5);
    expect(checkHeaderName('X-Request-Timeout-Ms', 'deadlineHeader')).toBe('X-Request-Timeout-Ms');
  });

  test('dependencies lists the names', () => {
    expect(createClient({ dependencies: { a: {}, b: {} } }).dependencies).toEqual(['a', 'b']);
  });
});

describe('withBaseUrl', () => {
  test('joins relative URLs to the base and leaves absolute ones alone', async () => {
    const { withBaseUrl } = await import('../../src/core/index.js');
    expect(withBaseUrl('https://a.test/v1', '/prices')).toBe('https://a.test/v1/prices');
    expect(withBaseUrl('https://a.test/v1', 'items')).toBe('https://a.test/v1/items');
    expect(withBaseUrl('https://a.test/v1', 'https://b.test/z')).toBe('https://b.test/z');
    expect(withBaseUrl(undefined, '/prices')).toBe('/prices');
  });
});
