import { createClient } from 'brownout';
import { flaky, htmlErrorPage, outage, sequence, stalledBody } from 'brownout/msw';
import { setupServer } from 'msw/node';

// The same handlers work in setupServer (Node tests), setupWorker (the browser) and Storybook's parameters.msw.
const orders = sequence('https://api.test/orders', [429, 502, { status: 201, body: { id: 1 } }], {
  method: 'post',
});
const server = setupServer(
  outage('https://api.test/prices', { retryAfter: 30 }),
  htmlErrorPage('https://api.test/reviews'),
  stalledBody('https://api.test/catalog'),
  flaky('https://api.test/stock', { failureRate: 0.3, seed: 7, response: { status: 200, body: [] } }),
  orders.handler,
);

export async function orderIsSentOnceWithOneKey(): Promise<boolean> {
  server.listen({ onUnhandledRequest: 'error' });
  const client = createClient({
    allowedOrigins: ['https://api.test'],
    dependencies: {
      orders: { baseUrl: 'https://api.test', idempotencyKeys: true, retry: { baseMs: 1, capMs: 5 } },
    },
  });
  await client.fetch('orders', '/orders', { method: 'POST', body: '{"sku":"tea"}' });
  const keys = new Set(orders.requests.map((r) => r.headers.get('idempotency-key')));
  server.close();
  client.dispose();
  return orders.calls === 3 && keys.size === 1;
}
