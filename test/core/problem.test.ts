import {
  DEFAULT_MAX_ERROR_BODY_BYTES,
  parseProblem,
  readBounded,
  safeJsonParse,
} from '../../src/core/problem.js';
import { hugeBody } from './support.js';

const PROBLEM = 'application/problem+json';

describe('parseProblem (RFC 9457)', () => {
  test('application/problem+json: the standard members are read, unknown ones kept as extensions', () => {
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

  test.each([
    ['application/json', 'application/json'],
    ['application/json with a charset', 'application/json; charset=utf-8'],
    ['a +json vendor type', 'application/vnd.api+json'],
    ['an upper-case type', 'Application/Problem+JSON'],
    ['no content type, a body that looks like an object', null],
  ])('a problem-shaped body is read from %s', (_what, contentType) => {
    expect(parseProblem(409, contentType, '{"title":"Busy","detail":"Try later"}')).toMatchObject({
      title: 'Busy',
      detail: 'Try later',
      status: 409,
    });
  });

  test('no type → about:blank, and the title defaults to the status phrase', () => {
    expect(parseProblem(503, PROBLEM, '{}')).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
    });
    expect(parseProblem(503, PROBLEM, '{"type":"","title":""}')).toMatchObject({
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

  test("the body's status member never replaces the real status", () => {
    expect(parseProblem(502, PROBLEM, '{"status":200}').status).toBe(502);
    expect(parseProblem(400, PROBLEM, '{"status":503,"title":"x"}').status).toBe(400);
    // Nor is it kept as an extension that could be mistaken for it.
    expect(parseProblem(502, PROBLEM, '{"status":200}').extensions).toBeUndefined();
  });

  test('the type is kept as a string and never dereferenced', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      expect(parseProblem(400, PROBLEM, '{"type":"https://evil.test/x"}').type).toBe('https://evil.test/x');
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });

  test.each([
    ['an HTML page from a proxy', 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>'],
    ['JSON sent as text/plain', 'text/plain', '{"title":"x"}'],
    ['an empty body', PROBLEM, ''],
    ['a blank body', PROBLEM, '  \n'],
    ['truncated JSON', PROBLEM, '{"title":"Bro'],
    ['a JSON array', PROBLEM, '[1,2]'],
    ['a JSON string', PROBLEM, '"oops"'],
    ['a JSON number', PROBLEM, '42'],
    ['null', PROBLEM, 'null'],
    ['not JSON at all, no content type', null, 'Bad Gateway'],
  ])('%s gives the defaults, never a SyntaxError', (_what, type, text) => {
    expect(parseProblem(502, type, text)).toEqual({ type: 'about:blank', title: 'Bad Gateway', status: 502 });
  });

  test('__proto__ and constructor.prototype payloads pollute nothing', () => {
    const p = parseProblem(
      400,
      PROBLEM,
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"nested":{"__proto__":{"polluted":true}}}',
    );
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(p.extensions)).toBeNull();
    expect(Object.keys(p.extensions ?? {})).toEqual(['nested']);
    expect(Object.getPrototypeOf(p.extensions!.nested)).toBe(Object.prototype);
    expect((p.extensions!.nested as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('safeJsonParse', () => {
  test('throws SyntaxError on malformed input', () => {
    for (const text of ['{', '', 'undefined', "{'a':1}", '{"a":1,}'])
      expect(() => safeJsonParse(text)).toThrow(SyntaxError);
  });

  test('drops __proto__, constructor and prototype keys at every depth', () => {
    const value = safeJsonParse(
      '{"a":{"b":1,"__proto__":{"x":1}},"constructor":{"prototype":{"x":1}},"list":[{"__proto__":{"x":1}}]}',
    );
    expect(value).toEqual({ a: { b: 1 }, list: [{}] });
    expect(Object.hasOwn(value as object, 'constructor')).toBe(false);
    expect(Object.hasOwn((value as { a: object }).a, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    // A naive deep merge of the parsed value can no longer reach Object.prototype.
    Object.assign({}, value, (value as { a: object }).a);
    expect(({} as { x?: number }).x).toBeUndefined();
  });

  test('parses ordinary JSON as JSON.parse does', () => {
    const text = '{"a":[1,"two",null,true,{"b":2.5}],"c":"d"}';
    expect(safeJsonParse(text)).toEqual(JSON.parse(text));
  });
});

describe('readBounded', () => {
  test('reads a small body whole', async () => {
    expect(await readBounded(new Response('{"a":1}').body)).toEqual({ text: '{"a":1}', truncated: false });
    expect(await readBounded(null)).toEqual({ text: '', truncated: false });
  });

  test('a body of 200 MB is read no further than the cap plus one chunk, then cancelled', async () => {
    const body = hugeBody(200 * 1024 * 1024, 64 * 1024);
    const { text, truncated } = await readBounded(body.stream, DEFAULT_MAX_ERROR_BODY_BYTES);
    expect(truncated).toBe(true);
    expect(text).toHaveLength(DEFAULT_MAX_ERROR_BODY_BYTES);
    expect(body.pulled).toBeLessThanOrEqual(DEFAULT_MAX_ERROR_BODY_BYTES + 64 * 1024);
    expect(body.cancelled).toBe(true);
  });

  test('a cap of 0 reads nothing', async () => {
    const body = hugeBody(1024 * 1024, 1024);
    expect(await readBounded(body.stream, 0)).toEqual({ text: '', truncated: true });
    expect(body.pulled).toBeLessThanOrEqual(1024);
  });

  test('a multi-byte character cut at the cap does not throw', async () => {
    const stream = new Response('é'.repeat(10)).body;
    const { text, truncated } = await readBounded(stream, 5);
    expect(truncated).toBe(true);
    expect(text.startsWith('éé')).toBe(true);
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
