import { delay, HttpResponse, http } from 'msw';

/** How the embedded pricing backend behaves right now; the chaos switch flips it. */
export type PricingMode = 'healthy' | 'down' | 'slow';

export const backend = { pricing: 'healthy' as PricingMode, calls: 0 };

const PRICES = [
  { id: 'tea', name: 'Green tea', price: 4.5 },
  { id: 'cup', name: 'Clay cup', price: 12 },
  { id: 'pot', name: 'Cast-iron pot', price: 48 },
];

/** The demo's API, served by MSW's service worker inside the page. */
export const handlers = [
  http.get('/api/prices', async () => {
    backend.calls++;
    if (backend.pricing === 'down') {
      return HttpResponse.json(
        { type: 'about:blank', title: 'Service Unavailable', detail: 'pricing-db connection pool exhausted' },
        { status: 503, headers: { 'content-type': 'application/problem+json' } },
      );
    }
    if (backend.pricing === 'slow') await delay(5_000);
    return HttpResponse.json(PRICES);
  }),
];
