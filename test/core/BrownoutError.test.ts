import { BrownoutError, isBrownoutError, statusTitle } from '../../src/core/BrownoutError.js';

const problem = () =>
  new BrownoutError({
    kind: 'http',
    code: 'http.403',
    message: 'pricing answered 403 You do not have enough credit.',
    type: 'https://example.com/probs/out-of-credit',
    title: 'You do not have enough credit.',
    status: 403,
    detail: 'Your current balance is 30, but that costs 50.',
    instance: '/account/12345/msgs/abc',
    dependency: 'pricing',
    correlationId: '4bf92f3577b34da6a3ce929d0e0e4736',
    attempts: 1,
    extensions: { balance: 30, accounts: ['/account/12345'] },
    cause: new Error('secret stack'),
  });

describe('BrownoutError', () => {
  test('is an Error named BrownoutError that keeps its cause', () => {
    const cause = new Error('x');
    const e = new BrownoutError({ kind: 'network', code: 'network', message: 'm', cause });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(BrownoutError);
    expect(e.name).toBe('BrownoutError');
    expect(e.message).toBe('m');
    expect(e.cause).toBe(cause);
    expect(String(e)).toBe('BrownoutError: m');
  });

  test('without a cause, has no cause property at all', () => {
    expect('cause' in new BrownoutError({ kind: 'timeout', code: 'timeout.headers', message: 'm' })).toBe(
      false,
    );
  });

  test('defaults: type about:blank, title from the status phrase (else the message), not retriable, 0 attempts', () => {
    const e = new BrownoutError({ kind: 'http', code: 'http.503', message: 'm', status: 503 });
    expect(e).toMatchObject({
      type: 'about:blank',
      title: 'Service Unavailable',
      retriable: false,
      attempts: 0,
      partial: false,
    });
    expect(
      new BrownoutError({ kind: 'timeout', code: 'timeout.total', message: 'Took too long.' }).title,
    ).toBe('Took too long.');
  });

  test('extensions are a frozen copy without a prototype', () => {
    const source = { balance: 30 };
    const e = new BrownoutError({ kind: 'http', code: 'c', message: 'm', extensions: source });
    source.balance = 0;
    expect(e.extensions.balance).toBe(30);
    expect(Object.getPrototypeOf(e.extensions)).toBeNull();
    expect(Object.isFrozen(e.extensions)).toBe(true);
  });

  test('toJSON() is problem+json shaped: the RFC 9457 members, extensions at the top level, no message or stack', () => {
    const json = problem().toJSON();
    expect(json).toEqual({
      type: 'https://example.com/probs/out-of-credit',
      title: 'You do not have enough credit.',
      status: 403,
      detail: 'Your current balance is 30, but that costs 50.',
      instance: '/account/12345/msgs/abc',
      balance: 30,
      accounts: ['/account/12345'],
      kind: 'http',
      code: 'http.403',
      retriable: false,
      dependency: 'pricing',
      correlationId: '4bf92f3577b34da6a3ce929d0e0e4736',
      attempts: 1,
      partial: false,
    });
    const text = JSON.stringify(problem());
    expect(JSON.parse(text)).toEqual(json);
    expect(text).not.toMatch(/secret stack|stack|message/);
  });

  test('an extension cannot overwrite a standard or Brownout member in toJSON()', () => {
    const e = new BrownoutError({
      kind: 'http',
      code: 'http.500',
      message: 'm',
      status: 500,
      extensions: { status: 200, type: 'https://evil.test', kind: 'aborted', retriable: true },
    });
    expect(e.toJSON()).toMatchObject({ status: 500, type: 'about:blank', kind: 'http', retriable: false });
  });

  test('with() makes a patched copy and leaves the original alone', () => {
    const original = problem();
    const copy = original.with({ attempts: 3, partial: true });
    expect(copy).not.toBe(original);
    expect(copy).toBeInstanceOf(BrownoutError);
    expect(copy).toMatchObject({ attempts: 3, partial: true, status: 403, detail: original.detail });
    expect(copy.cause).toBe(original.cause);
    expect({ ...copy.extensions }).toEqual({ ...original.extensions });
    expect(original.attempts).toBe(1);
  });
});

describe('isBrownoutError', () => {
  test('recognises its own errors, and copies from another bundle by shape', () => {
    expect(isBrownoutError(problem())).toBe(true);
    const foreign = Object.assign(new Error('m'), {
      name: 'BrownoutError',
      kind: 'timeout',
      code: 'timeout.headers',
    });
    expect(isBrownoutError(foreign)).toBe(true);
  });

  test.each([
    ['a plain Error', new Error('m')],
    ['a look-alike that is not an Error', { kind: 'timeout', code: 'x', name: 'BrownoutError' }],
    ['an Error named BrownoutError without kind', Object.assign(new Error('m'), { name: 'BrownoutError' })],
    ['null', null],
    ['a string', 'BrownoutError'],
  ])('rejects %s', (_what, value) => {
    expect(isBrownoutError(value)).toBe(false);
  });
});

describe('statusTitle', () => {
  test('knows the common phrases and falls back by class', () => {
    expect([
      statusTitle(429),
      statusTitle(422),
      statusTitle(599),
      statusTitle(499),
      statusTitle(302),
    ]).toEqual(['Too Many Requests', 'Unprocessable Content', 'Server Error', 'Client Error', 'HTTP Error']);
  });
});
