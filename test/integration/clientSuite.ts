// The real client, the real global fetch, MSW's setupServer: what a user's own tests see. Shared by the
// Node and jsdom files, so each case runs in both: no `location` and Node's own AbortSignal, then jsdom's
// `location` (http://localhost:3000) and jsdom's AbortSignal.
import { setupServer } from 'msw/node';
import { type BrownoutError, type ClientEvents, createClient } from '../../src/index.js';
import { htmlErrorPage, outage, sequence, stalledBody } from '../../src/msw/index.js';
import { asError, unexpected } from '../helpers/fakeFetch.js';

/** The mock API's origin: cross-origin in jsdom (and no origin at all in Node), so it is allowed. */
export const API = 'https://api.test';

/** Starts an msw server for the file: listening, reset after each test, closed at the end. */
export function mockServer(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A client on the system clock with fast retries (sleeps of 0–5 ms) and a 50 ms read timeout. */
export const makeClient = () =>
  createClient({
    allowedOrigins: [API],
    dependencies: {
      orders: { baseUrl: API, idempotencyKeys: true, retry: { baseMs: 1, capMs: 5 } },
      pricing: { baseUrl: API, retry: { baseMs: 1, capMs: 5 }, timeouts: { bodyIdleMs: 50 } },
      thirdParty: {
        baseUrl: 'https://other.test',
        idempotencyKeys: true,
        retry: { baseMs: 1, capMs: 5 },
      },
    },
  });

/** Every event a client emits, in order, by type. */
export function record(client: ReturnType<typeof makeClient>) {
  const events: { type: keyof ClientEvents; event: ClientEvents[keyof ClientEvents] }[] = [];
  for (const type of ['attempt', 'retry', 'success', 'give-up'] as const) {
    client.on(type, (event) => events.push({ type, event }));
  }
  return {
    types: () => events.map((e) => e.type),
    of: <K extends keyof ClientEvents>(type: K) =>
      events.filter((e) => e.type === type).map((e) => e.event as ClientEvents[K]),
  };
}

const traceparent = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

/** The cases every environment runs. */
export function clientSuite(server: ReturnType<typeof setupServer>): void {
  test('429 → 502 → 200: exactly three attempts, one idempotency key, one trace id', async () => {
    const s = sequence(`${API}/orders`, [429, 502, { status: 201, body: { id: 7 } }], { method: 'post' });
    server.use(s.handler);
    const client = makeClient();
    const seen = record(client);
    const body = await client.json('orders', '/orders', {
      method: 'POST',
      body: JSON.stringify({ sku: 'tea' }),
    });

    expect(body).toEqual({ id: 7 });
    expect(s.calls).toBe(3);
    const keys = s.requests.map((r) => r.headers.get('idempotency-key'));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const parents = s.requests.map((r) => traceparent.exec(r.headers.get('traceparent') ?? ''));
    expect(parents.every(Boolean)).toBe(true);
    const traceIds = new Set(parents.map((m) => m![1]));
    expect(traceIds.size).toBe(1);
    expect(new Set(parents.map((m) => m![2])).size).toBe(3); // a new parent id per attempt
    expect(await Promise.all(s.requests.map((r) => r.text()))).toEqual(Array(3).fill('{"sku":"tea"}'));

    expect(seen.types()).toEqual(['attempt', 'retry', 'attempt', 'retry', 'attempt', 'success']);
    expect(seen.of('retry').map((e) => e.reason.status)).toEqual([429, 502]);
    expect(seen.of('success')[0]).toMatchObject({
      attempts: 3,
      status: 201,
      correlationId: [...traceIds][0],
    });
    expect(client.metrics('orders')).toMatchObject({ requests: 1, attempts: 3, retries: 2, successes: 1 });
  });

  test.each([404, 422])('%i is not retried: one attempt', async (status) => {
    const s = sequence(`${API}/prices`, [status, 200]);
    server.use(s.handler);
    const client = makeClient();
    const error = await client.fetch('pricing', '/prices').then(unexpected, asError);
    expect(error).toMatchObject({
      kind: 'http',
      code: `http.${status}`,
      status,
      attempts: 1,
      retriable: false,
    });
    expect(s.calls).toBe(1);
    expect(client.metrics('pricing')).toMatchObject({ attempts: 1, retries: 0 });
  });

  test('a keyed POST that gets 422 is not retried either', async () => {
    const s = sequence(`${API}/orders`, [422, 201], { method: 'post' });
    server.use(s.handler);
    const error = await makeClient()
      .fetch('orders', '/orders', { method: 'POST', body: '{}' })
      .then(unexpected, asError);
    expect(error).toMatchObject({ status: 422, attempts: 1 });
    expect(s.calls).toBe(1);
    expect(s.requests[0]!.headers.has('idempotency-key')).toBe(true);
  });

  test('an HTML 502 page from a proxy yields a clean BrownoutError, no HTML in it', async () => {
    server.use(htmlErrorPage(`${API}/prices`));
    const error = await makeClient().fetch('pricing', '/prices').then(unexpected, asError);
    expect(error).toMatchObject({
      name: 'BrownoutError',
      kind: 'http',
      code: 'http.502',
      status: 502,
      title: 'Bad Gateway',
      type: 'about:blank',
      dependency: 'pricing',
      attempts: 3, // 502 is transient: retried, then given up
    });
    expect(error.detail).toBeUndefined();
    expect(error.message).toBe('pricing answered 502 Bad Gateway.');
    expect(JSON.stringify(error.toJSON())).not.toMatch(/<|nginx/);
  });

  test('a POST without an idempotency key is not retried', async () => {
    const s = sequence(`${API}/prices`, [503, 200], { method: 'post' });
    server.use(s.handler);
    const error = await makeClient()
      .fetch('pricing', '/prices', { method: 'POST', body: '{}' })
      .then(unexpected, asError);
    expect(error).toMatchObject({ kind: 'http', status: 503, retriable: true, attempts: 1 });
    expect(s.calls).toBe(1);
    expect(s.requests[0]!.headers.has('idempotency-key')).toBe(false);
  });

  test('a POST with a key the caller gives is retried with that key', async () => {
    const s = sequence(`${API}/prices`, [503, 204], { method: 'post' });
    server.use(s.handler);
    const response = await makeClient().fetch('pricing', '/prices', {
      method: 'POST',
      body: '{}',
      idempotencyKey: 'order-42',
    });
    expect(response.status).toBe(204);
    expect(s.requests.map((r) => r.headers.get('idempotency-key'))).toEqual(['order-42', 'order-42']);
  });

  test('a problem+json 503 with Retry-After: 0 is retried, then fails carrying the problem', async () => {
    server.use(
      outage(`${API}/prices`, {
        retryAfter: 0,
        problem: {
          type: 'https://api.test/problems/maintenance',
          title: 'Pricing is down',
          detail: 'Database failover in progress.',
          status: 503,
          region: 'eu-west-1',
        },
      }),
    );
    const client = makeClient();
    const seen = record(client);
    const error: BrownoutError = await client.fetch('pricing', '/prices').then(unexpected, asError);
    expect(error).toMatchObject({
      kind: 'http',
      status: 503,
      type: 'https://api.test/problems/maintenance',
      title: 'Pricing is down',
      detail: 'Database failover in progress.',
      attempts: 3,
      extensions: { region: 'eu-west-1' },
    });
    expect(error.message).toBe('pricing answered 503 Pricing is down. Database failover in progress.');
    expect(seen.of('attempt')).toHaveLength(3);
    expect(seen.of('give-up')).toMatchObject([{ attempts: 3, error: { title: 'Pricing is down' } }]);
  });

  test('a body that stalls after the headers fails the read with timeout.body', async () => {
    server.use(stalledBody(`${API}/prices`, { afterBytes: 10 }));
    const response = await makeClient().fetch('pricing', '/prices');
    expect(response.status).toBe(200); // the headers came in time
    const error = await response.text().then(unexpected, asError);
    expect(error).toMatchObject({
      name: 'BrownoutError',
      kind: 'timeout',
      code: 'timeout.body',
      dependency: 'pricing',
    });
  });

  test('client.json on a stalled body fails with timeout.body too', async () => {
    server.use(stalledBody(`${API}/prices`, { afterBytes: 0 }));
    const error = await makeClient().json('pricing', '/prices').then(unexpected, asError);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout.body' });
  });

  test('a network error is retried and reported as kind "network"', async () => {
    const s = sequence(`${API}/prices`, ['network-error']);
    server.use(s.handler);
    const error = await makeClient().fetch('pricing', '/prices').then(unexpected, asError);
    expect(error).toMatchObject({ kind: 'network', code: 'network', attempts: 3 });
    expect(s.calls).toBe(3);
  });

  test('an origin not allowed gets no trace or key headers, so its POST is not retried', async () => {
    const s = sequence('https://other.test/hooks', [503, 200], { method: 'post' });
    server.use(s.handler);
    const error = await makeClient()
      .fetch('thirdParty', '/hooks', { method: 'POST', body: '{}' })
      .then(unexpected, asError);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
    expect(s.requests[0]!.headers.has('traceparent')).toBe(false);
    expect(s.requests[0]!.headers.has('idempotency-key')).toBe(false);
  });

  test('the client works through the query adapter with the real query-core', async () => {
    const { QueryClient } = await import('@tanstack/query-core');
    const { createQueryFn, createMutationFn } = await import('../../src/query/index.js');
    const client = makeClient();
    const s = sequence(`${API}/prices`, [503, { status: 200, body: [{ id: 'tea' }] }]);
    const o = sequence(`${API}/orders`, [502, { status: 201, body: { id: 1 } }], { method: 'post' });
    server.use(s.handler, o.handler);
    const qc = new QueryClient({
      defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
    });
    const data = await qc.fetchQuery({
      queryKey: ['prices'],
      queryFn: createQueryFn(client, 'pricing', '/prices'),
    });
    expect(data).toEqual([{ id: 'tea' }]);
    expect(s.calls).toBe(2);
    const mutationFn = createMutationFn(client, 'orders', (sku: string) => ({
      input: '/orders',
      init: { method: 'POST', body: JSON.stringify({ sku }) },
    }));
    await expect(mutationFn('tea')).resolves.toEqual({ id: 1 });
    expect(o.calls).toBe(2);
    qc.clear();
  });
}
