// @vitest-environment node
import { rateLimited } from '../../src/msw/index.js';
import { expectHandler, mockServer, U } from './support.js';

const server = mockServer();

test('returns an msw handler, and refuses an invalid Date', () => {
  expectHandler(rateLimited(`${U}/r`, { retryAfter: 1 }), 'all', `${U}/r`);
  expectHandler(rateLimited(`${U}/r`, { retryAfter: 1, method: 'post' }), 'POST', `${U}/r`);
  expect(() => rateLimited(`${U}/r`, { retryAfter: new Date(Number.NaN) })).toThrow(RangeError);
});

test('answers 429 with a problem body and Retry-After in seconds, on every call', async () => {
  server.use(rateLimited(`${U}/r`, { retryAfter: 30 }));
  for (let i = 0; i < 2; i++) {
    const r = await fetch(`${U}/r`, { method: i === 0 ? 'GET' : 'POST' });
    expect([r.status, r.headers.get('retry-after'), r.headers.get('content-type')]).toEqual([
      429,
      '30',
      'application/problem+json',
    ]);
    expect(await r.json()).toEqual({ type: 'about:blank', title: 'Too Many Requests', status: 429 });
  }
});

test('sends a Date as an HTTP date (IMF-fixdate), a string as given', async () => {
  server.use(
    rateLimited(`${U}/date`, { retryAfter: new Date(Date.UTC(2026, 9, 21, 7, 28)) }),
    rateLimited(`${U}/odd`, { retryAfter: '-5', problem: false }),
  );
  expect((await fetch(`${U}/date`)).headers.get('retry-after')).toBe('Wed, 21 Oct 2026 07:28:00 GMT');
  const odd = await fetch(`${U}/odd`);
  expect([odd.status, odd.headers.get('retry-after'), await odd.text()]).toEqual([429, '-5', '']);
});

test('takes a problem of its own', async () => {
  server.use(rateLimited(`${U}/r`, { retryAfter: 2, problem: { title: 'Slow down', quota: 100 } }));
  expect(await (await fetch(`${U}/r`)).json()).toEqual({ title: 'Slow down', quota: 100 });
});
