// The demo shop's backend: MSW handlers served by the service worker inside the page (no server to start),
// with the chaos kit in front of them. Its state — the orders it has taken, per idempotency key, and the
// chaos modes — is kept in sessionStorage, so a reload of the page is like a reload against a real server.
import { delay, HttpResponse, http } from 'msw';
import { type ChaosMode, createChaos } from '../../src/msw/index.js';

export const DEPENDENCIES = ['pricing', 'reviews', 'recommendations', 'orders', 'auth'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly price: number;
}

const PRODUCTS: readonly Product[] = [
  { id: 'tea', name: 'Green tea, 100 g', price: 4.5 },
  { id: 'cup', name: 'Clay cup', price: 12 },
  { id: 'pot', name: 'Cast-iron teapot', price: 48 },
  { id: 'whisk', name: 'Bamboo whisk', price: 9.9 },
];
const REVIEWS: Readonly<Record<string, { stars: number; count: number }>> = {
  tea: { stars: 4.6, count: 128 },
  cup: { stars: 4.2, count: 31 },
  pot: { stars: 4.8, count: 77 },
  whisk: { stars: 3.9, count: 12 },
};

const KEY = 'brownout-demo-backend';
interface Saved {
  /** Writes that reached the shop, per idempotency key: a write sent once counts 1. */
  received: Record<string, number>;
  orders: { id: number; product: string; key: string }[];
  modes: Partial<Record<Dependency, ChaosMode>>;
}
const load = (): Saved => {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw) return JSON.parse(raw) as Saved;
  } catch {
    // A fresh backend.
  }
  return { received: {}, orders: [], modes: {} };
};
export const state: Saved = load();
const save = (): void => sessionStorage.setItem(KEY, JSON.stringify(state));

/** The chaos switch of each dependency, as the demo's panel and its end-to-end tests flip them. */
export const chaos = createChaos(
  {
    pricing: '/api/prices',
    reviews: '/api/reviews/:id',
    recommendations: '/api/recommendations',
    orders: '/api/orders',
    auth: '/api/auth/me',
  },
  { seed: 7 },
);
for (const [dependency, mode] of Object.entries(state.modes)) chaos.set(dependency as Dependency, mode);
chaos.subscribe((modes) => {
  state.modes = { ...modes };
  save();
});

/** Starts over: every dependency healthy, no orders. */
export function resetBackend(): void {
  state.received = {};
  state.orders = [];
  chaos.reset();
  save();
}

const shop = [
  http.get('/api/prices', () => HttpResponse.json(PRODUCTS)),
  http.get('/api/reviews/:id', ({ params }) => HttpResponse.json(REVIEWS[String(params.id)] ?? null)),
  http.get('/api/recommendations', async () => {
    await delay(150);
    return HttpResponse.json(['pot', 'whisk']);
  }),
  http.get('/api/orders', () => HttpResponse.json(state.orders)),
  http.post('/api/orders', async ({ request }) => {
    const key = request.headers.get('idempotency-key');
    if (!key) return HttpResponse.json({ title: 'Idempotency-Key required' }, { status: 400 });
    state.received[key] = (state.received[key] ?? 0) + 1;
    save();
    const { product } = (await request.json()) as { product: string };
    const existing = state.orders.find((o) => o.key === key);
    // The same key again (a retry, a replay after a reload): the same answer, no second order.
    if (existing) return HttpResponse.json(existing, { status: 200 });
    const order = { id: state.orders.length + 1, product, key };
    state.orders.push(order);
    save();
    return HttpResponse.json(order, { status: 201 });
  }),
  http.get('/api/auth/me', () => HttpResponse.json({ name: 'Ada' })),
];

export const handlers = [...chaos.handlers, ...shop];
export { PRODUCTS };
