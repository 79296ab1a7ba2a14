import { createClient, getFreshness } from 'brownout';
import { createChaos, scenarios } from 'brownout/msw';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';

// One switch per dependency, in front of the app's own handlers; flipped at run time by tests, stories or a
// chaos panel. Healthy dependencies pass through to the handlers behind it.
const chaos = createChaos(
  { pricing: 'https://api.test/prices', reviews: 'https://api.test/reviews' },
  { seed: 1 },
);
const server = setupServer(
  ...chaos.handlers,
  http.get('https://api.test/prices', () => HttpResponse.json([{ id: 'tea', price: 4.5 }])),
  http.get('https://api.test/reviews', () => HttpResponse.json([])),
);

export async function pricingOutageIsServedFromCache(): Promise<boolean> {
  server.listen({ onUnhandledRequest: 'error' });
  const client = createClient({
    shareHealth: false,
    dependencies: {
      pricing: { baseUrl: 'https://api.test', reads: 'cache', retry: { baseMs: 1, capMs: 5 } },
    },
  });
  await (await client.fetch('pricing', '/prices')).json(); // a good value, cached
  chaos.apply(scenarios['pricing outage']); // { pricing: 'down' }
  const response = await client.fetch('pricing', '/prices'); // 503s → the cached value
  const fromCache = getFreshness(response)?.source === 'cache';
  chaos.set('pricing', 'healthy');
  const calls = chaos.calls('pricing');
  server.close();
  client.dispose();
  return fromCache && calls === 4; // 1 good call, then 3 attempts while down
}
