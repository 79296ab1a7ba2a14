// The controller in real Chromium with MSW's service worker (setupWorker), as the demo and stories use it:
// the same handlers as in Node, switched at run time, passing through to the app's handlers when healthy.
import { HttpResponse, http } from 'msw';
import { setupWorker } from 'msw/browser';
import { createChaos, scenarios } from '../../src/msw/index.js';

const chaos = createChaos({ pricing: '/api/chaos-prices*', orders: '/api/chaos-orders*' });
const app = [
  http.get('/api/chaos-prices', () => HttpResponse.json([{ id: 'tea', price: 4.5 }])),
  http.post('/api/chaos-orders', () => HttpResponse.json({ id: 1 }, { status: 201 })),
];
const worker = setupWorker(...chaos.handlers, ...app);
beforeAll(async () => {
  await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
});
afterEach(() => chaos.reset());
afterAll(() => worker.stop());

test('healthy: the app answers; down: 503 problem+json; offline: fetch rejects', async () => {
  expect(await (await fetch('/api/chaos-prices')).json()).toEqual([{ id: 'tea', price: 4.5 }]);
  chaos.set('pricing', 'down', { retryAfter: 30 });
  const down = await fetch('/api/chaos-prices');
  expect([down.status, down.headers.get('content-type'), down.headers.get('retry-after')]).toEqual([
    503,
    'application/problem+json',
    '30',
  ]);
  expect((await fetch('/api/chaos-orders', { method: 'POST', body: '{}' })).status).toBe(201);
  chaos.apply(scenarios.offline);
  await expect(fetch('/api/chaos-orders', { method: 'POST', body: '{}' })).rejects.toThrow(TypeError);
  expect(chaos.calls('pricing')).toBe(2);
});

test('recovery: the orders outage ends after two calls and listeners hear of it', async () => {
  const seen: string[] = [];
  const stop = chaos.subscribe((modes) => seen.push(modes.orders));
  chaos.set('orders', 'down', { recover: { afterCalls: 2 } });
  const post = () => fetch('/api/chaos-orders', { method: 'POST', body: '{}' }).then((r) => r.status);
  expect([await post(), await post(), await post()]).toEqual([503, 503, 201]);
  expect(seen).toEqual(['down', 'healthy']);
  stop();
});
