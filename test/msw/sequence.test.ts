// @vitest-environment node
import { sequence, toResponse } from '../../src/msw/index.js';
import { expectHandler, mockServer, U } from './support.js';

const server = mockServer();

test('returns a handle: the msw handler, no calls, no requests', () => {
  const s = sequence(`${U}/s`, [200], { method: 'post' });
  expectHandler(s.handler, 'POST', `${U}/s`);
  expect(s.calls).toBe(0);
  expect(s.requests).toEqual([]);
  expect(() => sequence(`${U}/s`, [])).toThrow(RangeError);
});

test('answers step by step, then repeats the last step', async () => {
  const s = sequence(`${U}/s`, [
    429,
    'network-error',
    { status: 200, body: { ok: true }, headers: { 'x-a': '1' } },
  ]);
  server.use(s.handler);
  const first = await fetch(`${U}/s`);
  expect([first.status, await first.text()]).toEqual([429, '']);
  await expect(fetch(`${U}/s`)).rejects.toThrow(TypeError);
  for (let i = 0; i < 2; i++) {
    const ok = await fetch(`${U}/s`);
    expect([ok.status, ok.headers.get('x-a'), ok.headers.get('content-type'), await ok.json()]).toEqual([
      200,
      '1',
      'application/json',
      { ok: true },
    ]);
  }
  expect(s.calls).toBe(4);
});

test('records a clone of every request, headers and body, in order', async () => {
  const s = sequence(`${U}/s`, [503, 201], { method: 'post' });
  server.use(s.handler);
  await fetch(`${U}/s`, { method: 'POST', headers: { 'idempotency-key': 'k1' }, body: 'one' });
  await fetch(`${U}/s`, { method: 'POST', headers: { 'idempotency-key': 'k2' }, body: 'two' });
  expect(s.requests.map((r) => r.headers.get('idempotency-key'))).toEqual(['k1', 'k2']);
  expect(await Promise.all(s.requests.map((r) => r.text()))).toEqual(['one', 'two']);
  s.reset();
  expect([s.calls, s.requests.length]).toEqual([0, 0]);
  expect((await fetch(`${U}/s`, { method: 'POST' })).status).toBe(503);
});

test('concurrent calls take consecutive steps', async () => {
  const s = sequence(`${U}/s`, [500, 501, 502]);
  server.use(s.handler);
  const statuses = await Promise.all([1, 2, 3].map(() => fetch(`${U}/s`).then((r) => r.status)));
  expect(statuses.sort()).toEqual([500, 501, 502]);
});

test('a string body is sent as is, an array as JSON, statusText and headers kept', async () => {
  const text = toResponse({ status: 200, body: 'plain', statusText: 'Fine', headers: { 'x-b': '2' } });
  expect([text.status, text.statusText, text.headers.get('x-b'), await text.text()]).toEqual([
    200,
    'Fine',
    '2',
    'plain',
  ]);
  const json = toResponse({ status: 200, body: [1, 2], headers: { 'content-type': 'application/vnd+json' } });
  expect([json.headers.get('content-type'), await json.json()]).toEqual(['application/vnd+json', [1, 2]]);
  expect(toResponse({ status: 204, body: null }).body).toBeNull();
  expect(toResponse('network-error').type).toBe('error');
});
