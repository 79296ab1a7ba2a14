// @vitest-environment node
import { HttpResponse, http } from 'msw';
import { flaky } from '../../src/msw/index.js';
import { expectHandler, mockServer, U } from './support.js';

const server = mockServer();

const statuses = async (n: number) => {
  const out: (number | 'network-error')[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      await fetch(`${U}/f`).then(
        (r) => r.status,
        () => 'network-error',
      ),
    );
  return out;
};

test('returns an msw handler, and refuses a rate outside 0–1', () => {
  expectHandler(flaky(`${U}/f`, { failureRate: 0.5 }), 'all', `${U}/f`);
  expect(() => flaky(`${U}/f`, { failureRate: 2 })).toThrow(RangeError);
  expect(() => flaky(`${U}/f`, { failureRate: Number.NaN })).toThrow(RangeError);
});

test('fails the same calls for the same seed, other calls for another, at about its rate', async () => {
  const run = async (seed: number) => {
    server.resetHandlers(flaky(`${U}/f`, { failureRate: 0.3, seed, response: 200 }));
    return statuses(200);
  };
  const a = await run(7);
  expect(await run(7)).toEqual(a);
  expect(await run(8)).not.toEqual(a);
  const failures = a.filter((s) => s === 503).length;
  expect(failures).toBeGreaterThan(40);
  expect(failures).toBeLessThan(80);
  expect(a.filter((s) => s === 200)).toHaveLength(200 - failures);
});

test('fails with what it is told; without a response, the rest pass through', async () => {
  server.use(http.get(`${U}/f`, () => HttpResponse.text('real')));
  server.use(flaky(`${U}/f`, { failureRate: 0.5, seed: 3, failWith: 'network-error' }));
  const seen = await statuses(30);
  expect(new Set(seen)).toEqual(new Set([200, 'network-error']));
  server.resetHandlers(
    flaky(`${U}/f`, { failureRate: 1, failWith: { status: 429, headers: { 'retry-after': '1' } } }),
  );
  const r = await fetch(`${U}/f`);
  expect([r.status, r.headers.get('retry-after')]).toEqual([429, '1']);
  server.resetHandlers(flaky(`${U}/f`, { failureRate: 0, response: 204 }));
  expect(await statuses(5)).toEqual([204, 204, 204, 204, 204]);
});
