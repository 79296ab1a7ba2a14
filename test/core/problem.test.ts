import {
  type BrownoutError,
  createClient,
  createVirtualClock,
  isBrownoutError,
  parseProblem,
  readBounded,
  safeJsonParse,
} from '../../src/index.js';
import { asError, unexpected } from '../helpers/fakeFetch.js';

const PROBLEM = 'application/problem+json';

describe('parseProblem (RFC 9457)', () => {
  test('reads the standard members and keeps unknown ones as extensions', () => {
    const p = parseProblem(
      403,
      PROBLEM,
      JSON.stringify({
        type: 'https://example.com/probs/out-of-credit',
        title: 'You do not have enough credit.',
        detail: 'Your current balance is 30, but that costs 50.',
        instance: '/account/12345/msgs/abc',
        balance: 30,
        accounts: ['/account/12345'],
      }),
    );
    expect(p).toMatchObject({
      type: 'https://example.com/probs/out-of-credit',
      title: 'You do not have enough credit.',
      status: 403,
      detail: 'Your current balance is 30, but that costs 50.',
      instance: '/account/12345/msgs/abc',
    });
    expect({ ...p.extensions }).toEqual({ balance: 30, accounts: ['/account/12345'] });
  });

  test('no type → about:blank, and the title defaults to the status phrase', () => {
    expect(parseProblem(503, PROBLEM, '{}')).toMatchObject({
      type: 'about:blank',
      title: 'Service Unavailable',
    });
  });

  test('members of the wrong type are ignored as if absent', () => {
    const p = parseProblem(
      500,
      PROBLEM,
      JSON.stringify({
        type: 42,
        title: { html: '<b>x</b>' },
        detail: ['a'],
        instance: null,
        status: 'teapot',
      }),
    );
    expect(p).toMatchObject({ type: 'about:blank', title: 'Internal Server Error', status: 500 });
    expect(p.detail).toBeUndefined();
    expect(p.instance).toBeUndefined();
  });

  test("the body's status member never replaces the real one", () => {
    expect(parseProblem(502, PROBLEM, '{"status":200}').status).toBe(502);
  });

  test('problem-shaped application/json is read too', () => {
    expect(parseProblem(409, 'application/json; charset=utf-8', '{"title":"Busy"}').title).toBe('Busy');
  });

  test.each([
    ['an HTML page from a proxy', 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>'],
    ['an empty body', PROBLEM, ''],
    ['truncated JSON', PROBLEM, '{"title":"Bro'],
    ['a JSON array', PROBLEM, '[1,2]'],
    ['a JSON string', PROBLEM, '"oops"'],
    ['null', PROBLEM, 'null'],
  ])('%s gives the defaults, never a SyntaxError', (_what, type, text) => {
    expect(parseProblem(502, type, text)).toEqual({ type: 'about:blank', title: 'Bad Gateway', status: 502 });
  });

  test('hostile JSON changes no prototype', () => {
    const p = parseProblem(
      400,
      PROBLEM,
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"nested":{"__proto__":{"polluted":true}}}',
    );
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(p.extensions)).toBeNull();
    expect(Object.keys(p.extensions ?? {})).toEqual(['nested']);
    expect(Object.keys(p.extensions!.nested as object)).toEqual([]);
    expect((p.extensions!.nested as { polluted?: boolean }).polluted).toBeUndefined();
  });

  test('safeJsonParse throws SyntaxError on malformed input and drops prototype keys at every depth', () => {
    expect(() => safeJsonParse('{')).toThrow(SyntaxError);
    const value = safeJsonParse('{"a":{"b":1,"__proto__":{"x":1}},"constructor":{"prototype":{}}}');
    expect(value).toEqual({ a: { b: 1 } });
    expect(Object.hasOwn(value as object, 'constructor')).toBe(false);
    expect(Object.hasOwn((value as { a: object }).a, '__proto__')).toBe(false);
    // A naive merge of the parsed value can no longer reach Object.prototype.
    Object.assign({}, value, (value as { a: object }).a);
    expect(({} as { x?: number }).x).toBeUndefined();
  });
});

describe('readBounded', () => {
  const huge = (chunk: number, chunks: number) => {
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulled >= chunk * chunks) return c.close();
        pulled += chunk;
        c.enqueue(new Uint8Array(chunk).fill(120));
      },
      cancel() {
        cancelled = true;
      },
    });
    return { stream, pulled: () => pulled, cancelled: () => cancelled };
  };

  test('a body of 200 MB is read no further than the cap, then cancelled', async () => {
    const body = huge(64 * 1024, 3_200);
    const { text, truncated } = await readBounded(body.stream, 64 * 1024);
    expect(truncated).toBe(true);
    expect(text).toHaveLength(64 * 1024);
    expect(body.pulled()).toBeLessThanOrEqual(3 * 64 * 1024);
    expect(body.cancelled()).toBe(true);
  });

  test('a body that errors mid-read gives what arrived', async () => {
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent) return c.error(new Error('reset'));
        sent = true;
        c.enqueue(new TextEncoder().encode('{"ti'));
      },
    });
    expect(await readBounded(stream)).toEqual({ text: '{"ti', truncated: true });
  });
});

describe('error responses in the client', () => {
  const call = async (response: Response, maxErrorBodyBytes?: number) => {
    const client = createClient({
      clock: createVirtualClock(),
      fetch: async () => response,
      ...(maxErrorBodyBytes === undefined ? {} : { maxErrorBodyBytes }),
      dependencies: { pricing: { retry: { maxAttempts: 1 } } },
    });
    return client.fetch('pricing', 'https://x.test/p').then(unexpected, asError);
  };

  test('an HTML 502 page yields a clean error with no HTML in it', async () => {
    const error = await call(
      new Response('<html><script>alert(1)</script><h1>502 Bad Gateway</h1></html>', {
        status: 502,
        headers: { 'content-type': 'text/html' },
      }),
    );
    expect(isBrownoutError(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'http',
      status: 502,
      title: 'Bad Gateway',
      code: 'http.502',
      type: 'about:blank',
    });
    expect(error.message).toBe('pricing answered 502 Bad Gateway.');
  });

  test('problem+json details reach the error and its toJSON', async () => {
    const error = await call(
      new Response(
        JSON.stringify({ type: 'https://e.test/busy', title: 'Busy', detail: 'Try later', code: 'E42' }),
        {
          status: 503,
          headers: { 'content-type': PROBLEM },
        },
      ),
    );
    expect(error).toMatchObject({
      type: 'https://e.test/busy',
      title: 'Busy',
      detail: 'Try later',
      status: 503,
    });
    expect(error.extensions).toEqual(Object.assign(Object.create(null), { code: 'E42' }));
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      type: 'https://e.test/busy',
      title: 'Busy',
      status: 503,
      detail: 'Try later',
      kind: 'http',
      code: 'http.503',
      dependency: 'pricing',
      attempts: 1,
    });
  });

  test('a truncated problem body still gives a clean error', async () => {
    const error = await call(
      new Response('{"title":"Bu', { status: 500, headers: { 'content-type': PROBLEM } }),
    );
    expect(error).toMatchObject({ title: 'Internal Server Error', status: 500 });
  });

  test('only maxErrorBodyBytes of an error body are read', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled += 1_024;
        c.enqueue(new Uint8Array(1_024).fill(32));
      },
    });
    const error = await call(
      new Response(stream, { status: 500, headers: { 'content-type': PROBLEM } }),
      4_096,
    );
    expect(error.status).toBe(500);
    expect(pulled).toBeLessThanOrEqual(4_096 + 2 * 1_024);
  });

  test('client.json on malformed JSON fails with kind "parse"', async () => {
    const client = createClient({ fetch: async () => new Response('{"a":'), dependencies: { api: {} } });
    const error = await client.json('api', 'https://x.test/').then(unexpected, asError);
    expect(error).toMatchObject({ kind: 'parse', code: 'parse.json', dependency: 'api' });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  test('client.json on hostile JSON pollutes nothing', async () => {
    const client = createClient({
      fetch: async () => new Response('{"__proto__":{"polluted":1},"a":1}'),
      dependencies: { api: {} },
    });
    const value = await client.json<Record<string, unknown>>('api', 'https://x.test/');
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    expect(value).toEqual({ a: 1 });
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
  });
});
