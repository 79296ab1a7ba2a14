import { BrownoutError, type ErrorCode, isBrownoutError } from '../../src/index.js';

describe('BrownoutError narrows by kind', () => {
  test('an http error has a numeric status and an http code; a timeout has a timeout code', () => {
    const thrown: unknown = new BrownoutError({
      kind: 'http',
      code: 'http.503',
      status: 503,
      message: 'down',
    });
    if (!isBrownoutError(thrown)) throw new Error('not a BrownoutError');
    if (thrown.kind === 'http') {
      expectTypeOf(thrown.status).toEqualTypeOf<number>();
      expectTypeOf(thrown.code).toEqualTypeOf<`http.${number}`>();
      expect(thrown.status).toBe(503);
    } else if (thrown.kind === 'timeout') {
      expectTypeOf(thrown.code).toEqualTypeOf<'timeout.headers' | 'timeout.body' | 'timeout.total'>();
    }
    expectTypeOf<'queue.full'>().toMatchTypeOf<ErrorCode>();
    // @ts-expect-error: not a code Brownout makes
    const wrong: ErrorCode = 'timeout.forever';
    expect(wrong).toBe('timeout.forever');
  });
});
