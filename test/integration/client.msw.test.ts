// @vitest-environment node
// The real client, the real fetch, MSW in Node: what a user's own tests would see.
import { setupServer } from 'msw/node';
import { type BrownoutError, createClient } from '../../src/index.js';
import { htmlErrorPage, outage, sequence, stalledBody } from '../../src/msw/index.js';
import { asError, unexpected } from '../helpers/fakeFetch.js';

const API = 'https://api.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () =>
  createClient({
    allowedOrigins: [API],
    dependencies: {
      orders: { baseUrl: API, idempotencyKeys: true, retry: { baseMs: 1, capMs: 5 } },
      pricing: { baseUrl: API, retry: { baseMs: 1, capMs: 5 }, timeouts: { bodyIdleMs: 50 } },
    },
  });

test('429 → 502 → 200 makes three attempts with one idempotency key and one trace id', async () => {
  const s = sequence(
    `${API}/orders`,
    [{ status: 429, headers: { 'retry-after': '0' } }, 502, { status: 201, body: { id: 7 } }],
    { method: 'post' },
  );
  server.use(s.handler);
  const body = await client().json('orders', '/orders', {
    method: 'POST',
    body: JSON.stringify({ sku: 'tea' }),
  });
  expect(body).toEqual({ id: 7 });
  expect(s.calls).toBe(3);
  const keys = new Set(s.requests.map((r) => r.headers.get('idempotency-key')));
  const traces = new Set(s.requests.map((r) => r.headers.get('traceparent')!.split('-')[1]));
  const parents = new Set(s.requests.map((r) => r.headers.get('traceparent')!.split('-')[2]));
  expect(keys.size).toBe(1);
  expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(traces.size).toBe(1);
  expect(parents.size).toBe(3);
  expect(await Promise.all(s.requests.map((r) => r.text()))).toEqual(Array(3).fill('{"sku":"tea"}'));
});

test.each([404, 422])('%i is not retried', async (status) => {
  const s = sequence(`${API}/prices`, [status, 200]);
  server.use(s.handler);
  const error = await client().fetch('pricing', '/prices').then(unexpected, asError);
  expect(error).toMatchObject({ kind: 'http', status, attempts: 1 });
  expect(s.calls).toBe(1);
});

test('an HTML 502 page yields a clean error', async () => {
  server.use(htmlErrorPage(`${API}/prices`));
  const error = await client().fetch('pricing', '/prices').then(unexpected, asError);
  expect(error).toMatchObject({
    kind: 'http',
    status: 502,
    title: 'Bad Gateway',
    type: 'about:blank',
    attempts: 3,
  });
  expect(error.message).not.toMatch(/</);
  expect(error.detail).toBeUndefined();
});

test('a POST without a key is not retried', async () => {
  const s = sequence(`${API}/prices`, [503, 200], { method: 'post' });
  server.use(s.handler);
  const error = await client()
    .fetch('pricing', '/prices', { method: 'POST', body: '{}' })
    .then(unexpected, asError);
  expect(error.status).toBe(503);
  expect(s.calls).toBe(1);
  expect(s.requests[0]!.headers.has('idempotency-key')).toBe(false);
});

test('a problem+json outage is retried, then fails carrying the problem', async () => {
  server.use(outage(`${API}/prices`, { retryAfter: 0, problem: { title: 'Pricing is down', detail: 'db' } }));
  const error: BrownoutError = await client().fetch('pricing', '/prices').then(unexpected, asError);
  expect(error).toMatchObject({
    kind: 'http',
    status: 503,
    title: 'Pricing is down',
    detail: 'db',
    attempts: 3,
  });
});

test('a body that stalls after the headers fails the read with timeout.body', async () => {
  server.use(stalledBody(`${API}/prices`));
  const response = await client().fetch('pricing', '/prices');
  const error = await response.text().then(unexpected, asError);
  expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.body', dependency: 'pricing' });
});

test('a network error is retried and reported as kind "network"', async () => {
  const s = sequence(`${API}/prices`, ['network-error']);
  server.use(s.handler);
  const error = await client().fetch('pricing', '/prices').then(unexpected, asError);
  expect(error).toMatchObject({ kind: 'network', attempts: 3 });
  expect(s.calls).toBe(3);
});

test('the client works through the query adapter with the real query-core', async () => {
  const { QueryClient } = await import('@tanstack/query-core');
  const { createQueryFn, createMutationFn } = await import('../../src/query/index.js');
  const c = client();
  const s = sequence(`${API}/prices`, [503, { status: 200, body: [{ id: 'tea' }] }]);
  const o = sequence(`${API}/orders`, [502, { status: 201, body: { id: 1 } }], { method: 'post' });
  server.use(s.handler, o.handler);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const data = await qc.fetchQuery({ queryKey: ['prices'], queryFn: createQueryFn(c, 'pricing', '/prices') });
  expect(data).toEqual([{ id: 'tea' }]);
  expect(s.calls).toBe(2);
  const mutationFn = createMutationFn(c, 'orders', (sku: string) => ({
    input: '/orders',
    init: { method: 'POST', body: JSON.stringify({ sku }) },
  }));
  await expect(mutationFn('tea')).resolves.toEqual({ id: 1 });
  expect(o.calls).toBe(2);
  qc.clear();
});
