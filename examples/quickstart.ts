import { createClient, getFreshness, isBrownoutError } from 'brownout';

interface Price {
  id: string;
  price: number;
}

// One client for the app; one entry per backend it depends on.
const client = createClient({
  dependencies: {
    pricing: { baseUrl: '/api', timeouts: { headersMs: 2_000, totalMs: 8_000 } },
    orders: { baseUrl: '/api', idempotencyKeys: true, retry: { maxAttempts: 4 } },
  },
  retryBudget: { ratio: 0.1, minPerSecond: 1 },
});

export async function loadPrices(signal?: AbortSignal): Promise<Price[] | undefined> {
  try {
    return await client.json<Price[]>('pricing', '/prices', signal ? { signal } : {});
  } catch (error) {
    if (isBrownoutError(error)) {
      // Plain words for the user, the correlation id for support; never error.detail as HTML.
      console.warn(
        `${error.kind} (${error.code}) after ${error.attempts} attempts, support code ${error.correlationId}`,
      );
    }
    return undefined;
  }
}

// A POST gets one idempotency key for all its attempts, so retrying it is safe.
export const placeOrder = (order: { sku: string; qty: number }) =>
  client.json('orders', '/orders', { method: 'POST', body: JSON.stringify(order) });

// Libraries that take a fetch get one bound to a dependency.
export const pricingFetch = client.fetcher('pricing');

client.on('retry', (e) =>
  console.debug(`${e.dependency}: retry in ${Math.round(e.delayMs)} ms (${e.reason.code})`),
);

// What the UI reads: the app's degradation level, and where a value came from.
client.store.subscribe((state) => console.info(`app level: ${state.level}`));
export async function pricesWithAge(): Promise<{ prices: Price[]; fetchedAt?: number }> {
  const response = await client.fetch('pricing', '/prices');
  const freshness = getFreshness(response);
  const prices = (await response.json()) as Price[];
  return freshness?.source === 'cache' ? { prices, fetchedAt: freshness.fetchedAt } : { prices };
}
