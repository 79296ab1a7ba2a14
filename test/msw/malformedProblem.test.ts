// @vitest-environment node
import { malformedProblem } from '../../src/msw/index.js';
import { expectHandler, mockServer, U } from './support.js';

const server = mockServer();

const get = async () => {
  const r = await fetch(`${U}/m`);
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
};

test('returns an msw handler, and refuses a nonsense status or kind', () => {
  expectHandler(malformedProblem(`${U}/m`), 'all', `${U}/m`);
  expect(() => malformedProblem(`${U}/m`, { status: 99 })).toThrow(RangeError);
  expect(() => malformedProblem(`${U}/m`, { kind: 'bad' as 'proto' })).toThrow(RangeError);
});

test('by default: 500, application/problem+json, a body cut off mid-string', async () => {
  server.use(malformedProblem(`${U}/m`));
  const r = await get();
  expect([r.status, r.type, r.text]).toEqual([
    500,
    'application/problem+json',
    '{"type":"about:blank","title":"Bad',
  ]);
  expect(() => JSON.parse(r.text)).toThrow(SyntaxError);
});

test.each([
  ['not-json', (text: string) => expect(() => JSON.parse(text)).toThrow(SyntaxError)],
  ['empty', (text: string) => expect(text).toBe('')],
  [
    'wrong-types',
    (text: string) =>
      expect(JSON.parse(text)).toMatchObject({ type: 42, status: '500', title: { text: 'Bad' } }),
  ],
] as const)('kind %s', async (kind, check) => {
  server.use(malformedProblem(`${U}/m`, { kind, status: 503 }));
  const r = await get();
  expect([r.status, r.type]).toEqual([503, 'application/problem+json']);
  check(r.text);
});

test("'huge' is valid JSON with a title of 1 MiB", async () => {
  server.use(malformedProblem(`${U}/m`, { kind: 'huge', status: 502 }));
  const problem = JSON.parse((await get()).text);
  expect(problem.title).toHaveLength(1024 * 1024);
  expect(problem.status).toBe(502);
});

test("'proto' sends a real __proto__ key, which a naive merge would turn into pollution", async () => {
  server.use(malformedProblem(`${U}/m`, { kind: 'proto' }));
  const { text } = await get();
  const problem = JSON.parse(text);
  expect(Object.hasOwn(problem, '__proto__')).toBe(true);
  expect(problem.constructor).toEqual({ prototype: { polluted: true } });
  expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
});

test('a body and content type of your own win over kind', async () => {
  server.use(
    malformedProblem(`${U}/m`, { body: '{"title": 1e999', kind: 'huge', contentType: 'application/json' }),
  );
  expect(await get()).toEqual({ status: 500, type: 'application/json', text: '{"title": 1e999' });
});
