// Real Chromium, MSW's real service worker, the real client: same-origin calls as an app makes them.
import { HttpResponse, http } from 'msw';
import { setupWorker } from 'msw/browser';
import { createClient } from '../../src/index.js';
import { sequence, stalledBody } from '../../src/msw/index.js';
import { asError, unexpected } from '../helpers/fakeFetch.js';

const worker = setupWorker();
beforeAll(async () => {
  await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
});
afterEach(() => worker.resetHandlers());
afterAll(() => worker.stop());

const client = () =>
  createClient({
    dependencies: {
      pricing: { baseUrl: '/api', retry: { baseMs: 1, capMs: 5 }, timeouts: { bodyIdleMs: 100 } },
    },
  });

test('runs in Chromium', () => {
  expect(navigator.userAgent).toMatch(/Chrome\//);
});

test('503, 503, 200 through the service worker: three attempts, one trace id, same-origin headers sent', async () => {
  const s = sequence('/api/prices', [503, 503, { status: 200, body: [{ id: 'tea', price: 4.5 }] }]);
  worker.use(s.handler);
  const c = client();
  const prices = await c.json('pricing', '/prices');
  expect(prices).toEqual([{ id: 'tea', price: 4.5 }]);
  expect(s.calls).toBe(3);
  const traces = s.requests.map((r) => r.headers.get('traceparent') ?? '');
  expect(traces.every((t) => /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(t))).toBe(true);
  expect(new Set(traces.map((t) => t.split('-')[1])).size).toBe(1);
  expect(c.metrics('pricing')).toMatchObject({ requests: 1, attempts: 3, retries: 2, successes: 1 });
});

test('a body that stalls after the headers fails the read with timeout.body in the browser', async () => {
  worker.use(stalledBody('/api/prices'));
  const response = await client().fetch('pricing', '/prices');
  const error = await response.json().then(unexpected, asError);
  expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.body' });
});

test('client.json keeps the timeout error too (Chromium turns stream errors into "Failed to fetch")', async () => {
  worker.use(stalledBody('/api/prices'));
  const error = await client().json('pricing', '/prices').then(unexpected, asError);
  expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.body' });
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
