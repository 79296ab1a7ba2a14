// @vitest-environment node
import { setupServer } from 'msw/node';
import { flaky, htmlErrorPage, latency, outage, sequence, stalledBody } from '../../src/msw/index.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const U = 'https://chaos.test';

test('outage answers 503 problem+json, with Retry-After when asked', async () => {
  server.use(
    outage(`${U}/a`, { retryAfter: 30 }),
    outage(`${U}/b`, { status: 500, problem: false, method: 'post' }),
  );
  const a = await fetch(`${U}/a`);
  expect([a.status, a.headers.get('retry-after'), a.headers.get('content-type')]).toEqual([
    503,
    '30',
    'application/problem+json',
  ]);
  expect(await a.json()).toEqual({ title: 'Service Unavailable' });
  const b = await fetch(`${U}/b`, { method: 'POST' });
  expect([b.status, await b.text()]).toEqual([500, '']);
});

test('sequence answers step by step, repeats the last, and records the requests', async () => {
  const s = sequence(`${U}/s`, [
    429,
    'network-error',
    { status: 200, body: { ok: true }, headers: { 'x-a': '1' } },
  ]);
  server.use(s.handler);
  expect((await fetch(`${U}/s`, { headers: { 'x-n': '1' } })).status).toBe(429);
  await expect(fetch(`${U}/s`)).rejects.toThrow(TypeError);
  const ok = await fetch(`${U}/s`);
  expect([ok.status, ok.headers.get('x-a'), await ok.json()]).toEqual([200, '1', { ok: true }]);
  expect((await fetch(`${U}/s`)).status).toBe(200);
  expect(s.calls).toBe(4);
  expect(s.requests[0]!.headers.get('x-n')).toBe('1');
  expect(() => sequence(`${U}/s`, [])).toThrow(RangeError);
});

test('htmlErrorPage sends a proxy page', async () => {
  server.use(htmlErrorPage(`${U}/h`));
  const r = await fetch(`${U}/h`);
  expect([r.status, r.headers.get('content-type')]).toEqual([502, 'text/html']);
  expect(await r.text()).toContain('<h1>502 Bad Gateway</h1>');
});

test('stalledBody sends headers and a first chunk, then nothing', async () => {
  server.use(stalledBody(`${U}/st`, { firstChunk: '[1,' }));
  const r = await fetch(`${U}/st`);
  const reader = r.body!.getReader();
  const first = await reader.read();
  expect(new TextDecoder().decode(first.value)).toBe('[1,');
  const next = await Promise.race([
    reader.read(),
    new Promise((resolve) => setTimeout(() => resolve('stalled'), 50)),
  ]);
  expect(next).toBe('stalled');
  void reader.cancel().catch(() => {});
});

test('latency delays and then answers', async () => {
  server.use(latency(`${U}/l`, 20, { respond: () => Response.json([1]) }));
  expect(await (await fetch(`${U}/l`)).json()).toEqual([1]);
});

test('flaky fails the same calls for the same seed, at about its rate', async () => {
  const run = async (seed: number) => {
    server.resetHandlers(flaky(`${U}/f`, { failureRate: 0.3, seed, respond: () => new Response('ok') }));
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await fetch(`${U}/f`)).status);
    return statuses;
  };
  const a = await run(7);
  const b = await run(7);
  const c = await run(8);
  expect(a).toEqual(b);
  expect(a).not.toEqual(c);
  const failures = a.filter((s) => s === 503).length;
  expect(failures).toBeGreaterThan(40);
  expect(failures).toBeLessThan(80);
  expect(() => flaky(`${U}/f`, { failureRate: 2 })).toThrow(RangeError);
});
