// Real Chromium, MSW's real service worker (public/mockServiceWorker.js, served by the browser project's
// `publicDir: 'public'`), the real client: same-origin calls as an app makes them.
import { HttpResponse, http } from 'msw';
import { setupWorker } from 'msw/browser';
import { createClient } from '../../src/index.js';
import { htmlErrorPage, latency, sequence, stalledBody } from '../../src/msw/index.js';
import { asError, unexpected } from '../helpers/fakeFetch.js';

const worker = setupWorker();
beforeAll(async () => {
  await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
});
afterEach(() => worker.resetHandlers());
afterAll(() => worker.stop());

const fast = { baseMs: 1, capMs: 5 };
const client = () =>
  createClient({
    dependencies: {
      // No read fallback: these tests are about the transport's errors (the default cache is IndexedDB, and
      // would answer a later test's failure with an earlier test's prices).
      pricing: { reads: 'none', retry: fast, timeouts: { bodyIdleMs: 100 } },
      orders: { idempotencyKeys: true, retry: fast },
    },
  });
const traceparent = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

test('runs in Chromium, with the MSW worker controlling the page', () => {
  expect(navigator.userAgent).toMatch(/Chrome\//);
  expect(navigator.serviceWorker.controller?.scriptURL).toMatch(/\/mockServiceWorker\.js$/);
});

test('/api/prices answers 503, 503, 200: success after three attempts, traceparent sent (same origin)', async () => {
  const s = sequence('/api/prices', [503, 503, { status: 200, body: [{ id: 'tea', price: 4.5 }] }]);
  worker.use(s.handler);
  const c = client();
  const prices = await c.json('pricing', '/api/prices');
  expect(prices).toEqual([{ id: 'tea', price: 4.5 }]);
  expect(s.calls).toBe(3);
  expect(new URL(s.requests[0]!.url).origin).toBe(location.origin);
  const parents = s.requests.map((r) => traceparent.exec(r.headers.get('traceparent') ?? ''));
  expect(parents.every(Boolean)).toBe(true);
  expect(new Set(parents.map((m) => m![1])).size).toBe(1);
  expect(new Set(parents.map((m) => m![2])).size).toBe(3);
  expect(c.metrics('pricing')).toMatchObject({ requests: 1, attempts: 3, retries: 2, successes: 1 });
});

test('a same-origin POST gets one idempotency key over 429 → 502 → 201, without allowedOrigins', async () => {
  const s = sequence('/api/orders', [429, 502, { status: 201, body: { id: 1 } }], { method: 'post' });
  worker.use(s.handler);
  const created = await client().json('orders', '/api/orders', { method: 'POST', body: '{"sku":"tea"}' });
  expect(created).toEqual({ id: 1 });
  expect(s.calls).toBe(3);
  const keys = new Set(s.requests.map((r) => r.headers.get('idempotency-key')));
  expect(keys.size).toBe(1);
  expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
});

test('a body that stalls after the headers fails the read with timeout.body', async () => {
  worker.use(stalledBody('/api/prices', { afterBytes: 10 }));
  const response = await client().fetch('pricing', '/api/prices');
  expect(response.status).toBe(200);
  const error = await response.json().then(unexpected, asError);
  expect(error).toMatchObject({ name: 'BrownoutError', kind: 'timeout', code: 'timeout.body' });
});

test('client.json keeps the timeout error too (Chromium turns stream errors into "Failed to fetch")', async () => {
  worker.use(stalledBody('/api/prices'));
  const error = await client().json('pricing', '/api/prices').then(unexpected, asError);
  expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.body' });
});

test('headers that never come fail the attempt with timeout.headers', async () => {
  worker.use(latency('/api/prices', 'infinite', 200));
  const error = await client()
    .fetch('pricing', '/api/prices', { timeouts: { headersMs: 50 }, maxAttempts: 1 })
    .then(unexpected, asError);
  expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.headers', attempts: 1 });
});

test('an HTML 502 page yields a clean error in the browser too', async () => {
  worker.use(htmlErrorPage('/api/prices'));
  const error = await client().fetch('pricing', '/api/prices').then(unexpected, asError);
  expect(error).toMatchObject({ kind: 'http', status: 502, title: 'Bad Gateway', attempts: 3 });
  expect(error.message).not.toMatch(/</);
});

test('a cross-origin request carries no trace or key headers', async () => {
  let seen: Headers | undefined;
  worker.use(
    http.post('https://third-party.test/hook', ({ request }) => {
      seen = request.headers;
      return HttpResponse.json({});
    }),
  );
  const c = createClient({ dependencies: { hook: { idempotencyKeys: true } } });
  await c.fetch('hook', 'https://third-party.test/hook', { method: 'POST', body: '{}' });
  expect(seen?.has('traceparent')).toBe(false);
  expect(seen?.has('idempotency-key')).toBe(false);
});
