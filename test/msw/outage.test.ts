// @vitest-environment node
import { HttpResponse, http } from 'msw';
import { outage } from '../../src/msw/index.js';
import { expectHandler, mockServer, U } from './support.js';

const server = mockServer();

test('returns an msw handler for every method by default, or the one asked for', () => {
  expectHandler(outage(`${U}/a`), 'all', `${U}/a`);
  expectHandler(outage(`${U}/a`, { method: 'post' }), 'POST', `${U}/a`);
  expect(() => outage(`${U}/a`, { method: 'fetch' as 'get' })).toThrow(TypeError);
  expect(() => outage(`${U}/a`, { status: 99 })).toThrow(RangeError);
  expect(() => outage(`${U}/a`, { retryAfter: new Date('never') })).toThrow(RangeError);
});

test('answers 503 with an RFC 9457 problem body by default, on every call', async () => {
  server.use(outage(`${U}/a`));
  for (const method of ['GET', 'POST', 'GET']) {
    const r = await fetch(`${U}/a`, { method });
    expect(r.status).toBe(503);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(r.headers.has('retry-after')).toBe(false);
    expect(await r.json()).toEqual({ type: 'about:blank', title: 'Service Unavailable', status: 503 });
  }
});

test.each([
  [30, '30'],
  [0, '0'],
  ['Wed, 21 Oct 2026 07:28:00 GMT', 'Wed, 21 Oct 2026 07:28:00 GMT'],
  ['1.5', '1.5'],
  [new Date(Date.UTC(2026, 9, 21, 7, 28)), 'Wed, 21 Oct 2026 07:28:00 GMT'],
])('sends Retry-After %j as given', async (retryAfter, header) => {
  server.use(outage(`${U}/a`, { retryAfter }));
  expect((await fetch(`${U}/a`)).headers.get('retry-after')).toBe(header);
});

test('takes a status, a problem sent as is, or no body', async () => {
  server.use(
    outage(`${U}/429`, { status: 429, retryAfter: 5 }),
    outage(`${U}/custom`, { status: 500, problem: { title: 'Pricing is down', detail: 'db', status: '5' } }),
    outage(`${U}/empty`, { problem: false, retryAfter: 1 }),
  );
  const tooMany = await fetch(`${U}/429`);
  expect([tooMany.status, tooMany.headers.get('retry-after'), await tooMany.json()]).toEqual([
    429,
    '5',
    { type: 'about:blank', title: 'Too Many Requests', status: 429 },
  ]);
  const custom = await fetch(`${U}/custom`);
  expect([custom.status, await custom.json()]).toEqual([
    500,
    { title: 'Pricing is down', detail: 'db', status: '5' },
  ]);
  const empty = await fetch(`${U}/empty`);
  expect([empty.status, empty.headers.get('retry-after'), await empty.text()]).toEqual([503, '1', '']);
});

test('with a method, other methods fall through to the next handler', async () => {
  server.use(http.get(`${U}/orders`, () => HttpResponse.json([])));
  server.use(outage(`${U}/orders`, { method: 'post' }));
  expect((await fetch(`${U}/orders`, { method: 'POST' })).status).toBe(503);
  expect((await fetch(`${U}/orders`)).status).toBe(200);
});
