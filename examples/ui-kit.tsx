import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { createClient } from 'brownout';
import { bindQueryClient, createQueryFn } from 'brownout/query';
import {
  BrownoutProvider,
  BrownoutUIProvider,
  Degradable,
  DegradationBanner,
  MaintenanceScreen,
  QueuedWritesIndicator,
  StaleDataNotice,
  WriteGuard,
} from 'brownout/react';
import 'brownout/styles.css';

const client = createClient({
  dependencies: {
    pricing: { baseUrl: '/api', reads: 'cache' }, // down → last good prices, with their age
    reviews: { baseUrl: '/api', criticality: 'optional' }, // down → the page works without them
    orders: { baseUrl: '/api', writes: 'queue', idempotencyKeys: true }, // down → writes wait
    auth: { baseUrl: '/api', criticality: 'critical', onFailure: 'closed' }, // down → maintenance
  },
});
const queryClient = new QueryClient();
bindQueryClient(queryClient, client); // one retry layer, ages for the banners, one probe per open breaker

const prices = {
  queryKey: ['prices'],
  queryFn: createQueryFn<{ id: string; price: number }[]>(client, 'pricing', '/prices'),
};

function Prices({ onAdd }: { onAdd: (id: string) => void }) {
  const { data } = useQuery(prices);
  return (
    <ul>
      {data?.map((p) => (
        <li key={p.id}>
          {p.id}: €{p.price}{' '}
          <WriteGuard dependency="orders">
            <button type="button" onClick={() => onAdd(p.id)}>
              Add to cart
            </button>
          </WriteGuard>
        </li>
      ))}
    </ul>
  );
}

export function Shop({ onAdd, reviews }: { onAdd: (id: string) => void; reviews: React.ReactNode }) {
  return (
    <BrownoutProvider client={client}>
      <QueryClientProvider client={queryClient}>
        {/* Inside BrownoutProvider: it owns the live region, which outlives the MaintenanceScreen below. */}
        <BrownoutUIProvider labels={{ pricing: 'Prices', reviews: 'Reviews', orders: 'Orders' }}>
          {/* "Showing saved data from 14 minutes ago" · "Prices may be out of date." · "Retrying in 12 s" */}
          <DegradationBanner onRetry={() => void queryClient.refetchQueries({ type: 'active' })} />
          <MaintenanceScreen>
            <StaleDataNotice dependency="pricing" freshnessKey='["prices"]' />
            <Prices onAdd={onAdd} />
            <Degradable dependency="reviews" placeholder={<p>Reviews can't be shown right now.</p>}>
              {reviews}
            </Degradable>
            <QueuedWritesIndicator dependency="orders" />
          </MaintenanceScreen>
        </BrownoutUIProvider>
      </QueryClientProvider>
    </BrownoutProvider>
  );
}
