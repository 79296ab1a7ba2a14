// @vitest-environment node
import { HttpResponse, http } from 'msw';
import { latency } from '../../src/msw/index.js';
import { expectHandler, mockServer, settledWithin, U } from './support.js';

// What the handlers asked msw's `delay` for, recorded without waiting that long.
const waits = vi.hoisted(() => [] as (number | string | undefined)[]);
vi.mock('msw', async (importOriginal) => {
  const msw = await importOriginal<typeof import('msw')>();
  return {
    ...msw,
    delay: async (ms?: number | 'infinite' | 'real') => {
      waits.push(ms);
      if (ms === 'infinite') return msw.delay('infinite');
    },
  };
});

const server = mockServer();
beforeEach(() => {
  waits.length = 0;
});

test('returns an msw handler, and refuses nonsense times', () => {
  expectHandler(latency(`${U}/l`, 10), 'all', `${U}/l`);
  expectHandler(latency(`${U}/l`, 10, 200, { method: 'get' }), 'GET', `${U}/l`);
  expect(() => latency(`${U}/l`, -1)).toThrow(RangeError);
  expect(() => latency(`${U}/l`, Number.NaN)).toThrow(RangeError);
  expect(() => latency(`${U}/l`, 100, undefined, { maxMs: 50 })).toThrow(RangeError);
  expect(() => latency(`${U}/l`, 'infinite', undefined, { maxMs: 50 })).toThrow(RangeError);
});

test('waits ms through msw delay, then answers the response given', async () => {
  server.use(latency(`${U}/l`, 20, { status: 200, body: [1] }));
  expect(await (await fetch(`${U}/l`)).json()).toEqual([1]);
  expect(waits).toEqual([20]);
});

test('a response function gets the request', async () => {
  server.use(latency(`${U}/l`, 5, (request) => Response.json({ method: request.method })));
  expect(await (await fetch(`${U}/l`, { method: 'PUT' })).json()).toEqual({ method: 'PUT' });
});

test('without a response the request passes through to the next handler', async () => {
  server.use(http.get(`${U}/l`, () => HttpResponse.json('real')));
  server.use(latency(`${U}/l`, 15));
  expect(await (await fetch(`${U}/l`)).json()).toBe('real');
  expect(waits).toEqual([15]);
});

test('with maxMs the waits are drawn in [ms, maxMs], the same for the same seed', async () => {
  const run = async (seed: number) => {
    waits.length = 0;
    server.resetHandlers(latency(`${U}/l`, 100, 204, { maxMs: 900, seed }));
    for (let i = 0; i < 20; i++) await fetch(`${U}/l`);
    return [...waits] as number[];
  };
  const a = await run(7);
  expect(a).toHaveLength(20);
  expect(a.every((ms) => ms >= 100 && ms <= 900)).toBe(true);
  expect(new Set(a).size).toBeGreaterThan(1);
  expect(await run(7)).toEqual(a);
  expect(await run(8)).not.toEqual(a);
});

test("'infinite' never answers: the caller's abort is what ends it", async () => {
  server.use(latency(`${U}/l`, 'infinite', 200));
  const controller = new AbortController();
  const pending = fetch(`${U}/l`, { signal: controller.signal });
  expect(await settledWithin(pending, 30)).toBe('stalled');
  controller.abort();
  await expect(pending).rejects.toThrow();
  expect(waits).toEqual(['infinite']);
});
