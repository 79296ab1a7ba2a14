// react-query on the same QueryClient, Testing Library in jsdom, MSW in Node: stale data with a banner during
// an outage, fresh data after recovery.
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { useSyncExternalStore } from 'react';
import { type Brownout, createClient } from '../../src/index.js';
import { bindQueryClient, createQueryFn } from '../../src/query/index.js';

let price = 4.5;
let down = false;
let hits = 0;
const server = setupServer(
  http.get('https://pricing.test/price', () => {
    hits++;
    return down ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({ price });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

function StaleBanner({ client, queryHash }: { client: Brownout; queryHash: string }) {
  const freshness = useSyncExternalStore(
    client.store.subscribe,
    () => client.store.getState().freshness[queryHash],
  );
  if (freshness?.source !== 'cache') return null;
  return (
    <p role="status">
      Pricing is temporarily unavailable — showing the price from{' '}
      {new Date(freshness.fetchedAt).toISOString()}
    </p>
  );
}

function Price({ client }: { client: Brownout }) {
  const query = useQuery({
    queryKey: ['price'],
    queryFn: createQueryFn<{ price: number }>(client, 'pricing', '/price'),
  });
  return (
    <div>
      <StaleBanner client={client} queryHash='["price"]' />
      {query.data ? <span>€{query.data.price}</span> : <span>Loading…</span>}
    </div>
  );
}

test('useQuery through the adapter: stale data with a banner during an outage, fresh after recovery', async () => {
  const client = createClient({
    shareHealth: false,
    dependencies: {
      pricing: {
        baseUrl: 'https://pricing.test',
        reads: 'none',
        retry: { maxAttempts: 1 },
        breaker: { consecutiveFailures: 1, openMs: 100 },
      },
    },
  });
  const queryClient = new QueryClient();
  const unbind = bindQueryClient(queryClient, client, { refetchSpreadMs: 10 });
  render(
    <QueryClientProvider client={queryClient}>
      <Price client={client} />
    </QueryClientProvider>,
  );
  expect(await screen.findByText('€4.5')).toBeInTheDocument();
  expect(screen.queryByRole('status')).toBeNull();

  down = true;
  await queryClient.refetchQueries({ queryKey: ['price'] });
  expect(await screen.findByRole('status', {}, { timeout: 10_000 })).toHaveTextContent(
    'Pricing is temporarily unavailable — showing the price from',
  );
  expect(screen.getByText('€4.5')).toBeInTheDocument();
  expect(hits).toBeGreaterThanOrEqual(2); // the load, the failed refetch (and maybe one probe since)

  down = false;
  price = 5;
  // No call from the app: when the open period ends, bindQueryClient sends the shown query as the
  // breaker's one probe; it closes the breaker and the banner clears.
  // A condition, not a duration: on a loaded 2-core machine the probe's round trip can pass 1 s.
  await waitFor(() => expect(screen.getByText('€5')).toBeInTheDocument(), { timeout: 10_000 });
  await waitFor(() => expect(screen.queryByRole('status')).toBeNull(), { timeout: 10_000 });
  unbind();
  client.dispose();
  queryClient.clear();
}, 30_000);
