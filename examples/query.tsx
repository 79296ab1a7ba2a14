import { QueryClient, QueryClientProvider, useMutation, useQuery } from '@tanstack/react-query';
import { createClient, selectFreshness } from 'brownout';
import {
  bindQueryClient,
  createMutationFn,
  createQueryFn,
  isQueuedMutation,
  queuedMutationOptions,
} from 'brownout/query';
import { useSyncExternalStore } from 'react';

interface Product {
  id: string;
  price: number;
}

const client = createClient({
  dependencies: {
    pricing: { baseUrl: '/api', reads: 'cache', maxStaleMs: 3_600_000 },
    orders: { baseUrl: '/api', writes: 'queue' },
  },
});
const queryClient = new QueryClient();
// One retry layer (Brownout's), ages for failed queries, refetch on recovery, invalidation after replays.
bindQueryClient(queryClient, client);

const productsQuery = {
  queryKey: ['products'],
  queryFn: createQueryFn<Product[]>(client, 'pricing', '/products'),
};

function Products() {
  const products = useQuery(productsQuery);
  const freshness = useSyncExternalStore(client.store.subscribe, () =>
    selectFreshness('["products"]')(client.store.getState()),
  );
  const order = useMutation({
    ...queuedMutationOptions,
    mutationFn: createMutationFn(client, 'orders', (id: string) => ({
      input: '/orders',
      init: { method: 'POST', body: JSON.stringify({ id }) },
    })),
  });
  return (
    <section>
      {freshness?.source === 'cache' && (
        <p role="status">
          Prices are from {new Date(freshness.fetchedAt).toLocaleTimeString()}: pricing is down.
        </p>
      )}
      {products.data?.map((p) => (
        <button key={p.id} type="button" onClick={() => order.mutate(p.id)}>
          Buy {p.id} for {p.price}
        </button>
      ))}
      {isQueuedMutation(order.data) && (
        <p role="status">Your order is saved and will be sent when orders is back.</p>
      )}
    </section>
  );
}

export const App = () => (
  <QueryClientProvider client={queryClient}>
    <Products />
  </QueryClientProvider>
);
