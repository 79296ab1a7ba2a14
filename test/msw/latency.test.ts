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

test("'exponential' draws a long tail with mean ms, capped at maxMs, the same for the same seed", async () => {
  const run = async (seed: number, maxMs?: number) => {
    waits.length = 0;
    const options = maxMs === undefined ? { seed } : { seed, maxMs };
    server.resetHandlers(latency(`${U}/l`, 100, 204, { distribution: 'exponential', ...options }));
    for (let i = 0; i < 200; i++) await fetch(`${U}/l`);
    return [...waits] as number[];
  };
  const a = await run(5);
  expect(await run(5)).toEqual(a);
  expect(await run(6)).not.toEqual(a);
  const mean = a.reduce((sum, ms) => sum + ms, 0) / a.length;
  expect(mean).toBeGreaterThan(80);
  expect(mean).toBeLessThan(120);
  expect(Math.max(...a)).toBeGreaterThan(300); // the tail: e^-3 ≈ 5 % of draws exceed 3 × the mean
  expect(a.every((ms) => ms >= 0 && Number.isFinite(ms))).toBe(true);
  const capped = await run(5, 250);
  expect(Math.max(...capped)).toBe(250);
  expect(capped).toEqual(a.map((ms) => Math.min(ms, 250)));
});

test('refuses an exponential infinite wait or an unknown distribution', () => {
  expect(() => latency(`${U}/l`, 'infinite', undefined, { distribution: 'exponential' })).toThrow(RangeError);
  expect(() => latency(`${U}/l`, 10, undefined, { distribution: 'normal' as 'uniform' })).toThrow(RangeError);
});

test('once recovered, calls pass through without waiting', async () => {
  server.use(http.get(`${U}/l`, () => HttpResponse.json('real')));
  server.use(latency(`${U}/l`, 40, 204, { recover: { afterCalls: 1 } }));
  expect((await fetch(`${U}/l`)).status).toBe(204);
  expect(await (await fetch(`${U}/l`)).json()).toBe('real');
  expect(waits).toEqual([40]);
});
