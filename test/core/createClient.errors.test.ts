import { BrownoutError, isBrownoutError } from '../../src/core/BrownoutError.js';
import { asError, hugeBody, setup, unexpected } from './support.js';

const PROBLEM = 'application/problem+json';

/** One call against a dependency that answers `response` once, without retries. */
const failWith = async (response: () => Response, maxErrorBodyBytes?: number) => {
  const { client, run } = setup(
    [response],
    { retry: { maxAttempts: 1 } },
    maxErrorBodyBytes === undefined ? {} : { maxErrorBodyBytes },
  );
  const { error } = await run(client.fetch('api', '/p'));
  expect(isBrownoutError(error)).toBe(true);
  return error!;
};

describe('error responses become one BrownoutError with problem details', () => {
  test('application/problem+json details reach the error, and its toJSON is problem+json shaped', async () => {
    const error = await failWith(
      () =>
        new Response(
          JSON.stringify({
            type: 'https://e.test/busy',
            title: 'Busy',
            detail: 'Try later',
            instance: '/req/1',
            code: 'E42',
          }),
          { status: 503, headers: { 'content-type': PROBLEM } },
        ),
    );
    expect(error).toMatchObject({
      kind: 'http',
      code: 'http.503',
      type: 'https://e.test/busy',
      title: 'Busy',
      detail: 'Try later',
      instance: '/req/1',
      status: 503,
      dependency: 'api',
      attempts: 1,
    });
    expect(error.message).toBe('api answered 503 Busy. Try later');
    expect({ ...error.extensions }).toEqual({ code: 'E42' });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toMatchObject({
      type: 'https://e.test/busy',
      title: 'Busy',
      status: 503,
      detail: 'Try later',
      instance: '/req/1',
      kind: 'http',
      // Brownout's own code wins over the server's "code" extension.
      code: 'http.503',
      dependency: 'api',
      correlationId: error.correlationId,
    });
    expect(json).not.toHaveProperty('message');
    expect(json).not.toHaveProperty('stack');
  });

  test('a problem-shaped application/json body is read too', async () => {
    const error = await failWith(
      () =>
        new Response('{"title":"Conflict on order 7"}', {
          status: 409,
          headers: { 'content-type': 'application/json' },
        }),
    );
    expect(error).toMatchObject({ status: 409, title: 'Conflict on order 7', type: 'about:blank' });
  });

  test('no type → about:blank and the title is the status phrase; wrong-typed members are ignored', async () => {
    const error = await failWith(
      () =>
        new Response(JSON.stringify({ title: 7, detail: { x: 1 }, instance: 3, extra: 'kept' }), {
          status: 422,
          headers: { 'content-type': PROBLEM },
        }),
    );
    expect(error).toMatchObject({ type: 'about:blank', title: 'Unprocessable Content', status: 422 });
    expect(error.detail).toBeUndefined();
    expect(error.instance).toBeUndefined();
    expect(error.extensions.extra).toBe('kept');
  });

  test("the body's status member never replaces the real status", async () => {
    const error = await failWith(
      () =>
        new Response('{"status":200,"title":"OK really"}', {
          status: 500,
          headers: { 'content-type': PROBLEM },
        }),
    );
    expect(error.status).toBe(500);
    expect(error.toJSON().status).toBe(500);
  });

  test('__proto__ and constructor.prototype payloads pollute nothing', async () => {
    const error = await failWith(
      () =>
        new Response(
          '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"title":"x"}',
          { status: 400, headers: { 'content-type': PROBLEM } },
        ),
    );
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(error)).toBe(BrownoutError.prototype);
    expect(Object.getPrototypeOf(error.extensions)).toBeNull();
    expect(Object.keys(error.extensions)).toEqual([]);
    expect((error as unknown as { polluted?: boolean }).polluted).toBeUndefined();
  });

  test.each([
    [
      'an HTML 502 page from a proxy',
      () =>
        new Response('<html><script>alert(1)</script><h1>502 Bad Gateway</h1></html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
    ],
    ['an empty body', () => new Response(null, { status: 502 })],
    [
      'truncated JSON',
      () => new Response('{"title":"Ba', { status: 502, headers: { 'content-type': PROBLEM } }),
    ],
    ['an empty problem body', () => new Response('', { status: 502, headers: { 'content-type': PROBLEM } })],
  ])('%s gives one clean error from the status alone', async (_what, response) => {
    const error = await failWith(response);
    expect(error).toMatchObject({
      kind: 'http',
      code: 'http.502',
      status: 502,
      type: 'about:blank',
      title: 'Bad Gateway',
      retriable: true,
    });
    expect(error.message).toBe('api answered 502 Bad Gateway.');
    expect(JSON.stringify(error)).not.toMatch(/<script>|SyntaxError/);
  });

  test('a body of 200 MB: one clean error, and only about maxErrorBodyBytes are pulled', async () => {
    const body = hugeBody(200 * 1024 * 1024, 64 * 1024);
    const error = await failWith(
      () => new Response(body.stream, { status: 500, headers: { 'content-type': PROBLEM } }),
    );
    expect(error).toMatchObject({ kind: 'http', status: 500, title: 'Internal Server Error' });
    expect(body.pulled).toBeLessThanOrEqual(64 * 1024 + 64 * 1024);
    expect(body.cancelled).toBe(true);
  });

  test('a smaller maxErrorBodyBytes is honoured: at most the cap plus one chunk is pulled', async () => {
    const body = hugeBody(10 * 1024 * 1024, 1_024);
    const error = await failWith(() => new Response(body.stream, { status: 500 }), 4_096);
    expect(error.status).toBe(500);
    expect(body.pulled).toBeLessThanOrEqual(4_096 + 1_024);
  });

  test('an error body that breaks mid-read still gives the HTTP error, not a network one', async () => {
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent) return c.error(new TypeError('network reset'));
        sent = true;
        c.enqueue(new TextEncoder().encode('{"title":"Bu'));
      },
    });
    const error = await failWith(
      () => new Response(stream, { status: 503, headers: { 'content-type': PROBLEM } }),
    );
    expect(error).toMatchObject({ kind: 'http', status: 503, title: 'Service Unavailable' });
  });
});

describe('client.json', () => {
  test('malformed JSON fails with kind "parse", the SyntaxError as cause', async () => {
    const { client, run } = setup([
      () => new Response('{"a":', { headers: { 'content-type': 'application/json' } }),
    ]);
    const { error } = await run(client.json('api', '/x'));
    expect(error).toMatchObject({ kind: 'parse', code: 'parse.json', dependency: 'api', status: 200 });
    expect(error?.cause).toBeInstanceOf(SyntaxError);
  });

  test('an empty body is undefined', async () => {
    const { client } = setup([() => new Response('')]);
    expect(await client.json('api', '/x')).toBeUndefined();
  });

  test('hostile JSON pollutes nothing and keeps the ordinary prototype', async () => {
    const { client } = setup([
      () => new Response('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"a":1}'),
    ]);
    const value = await client.json<Record<string, unknown>>('api', '/x');
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    expect(value).toEqual({ a: 1 });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
    expect(Object.hasOwn(value, 'constructor')).toBe(false);
  });

  test('an HTTP error reaches client.json as the BrownoutError, not a parse error', async () => {
    const { client, run } = setup([404]);
    const { error } = await run(client.json('api', '/x'));
    expect(error).toMatchObject({ kind: 'http', status: 404 });
  });

  test('the parse error is not retried and does not count against the breaker', async () => {
    const { client, seen } = setup([() => new Response('nope')], { breaker: { consecutiveFailures: 1 } });
    await client.json('api', '/x').then(unexpected, asError);
    expect(seen).toHaveLength(1);
    expect(client.breaker('api').state.state).toBe('closed');
  });
});
