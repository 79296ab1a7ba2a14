import type { QueryClient } from '@tanstack/query-core';
import { createClient } from 'brownout';
import { createQueryFn } from 'brownout/query';
import { BrownoutProvider, ProblemNotice, useDependencyMetrics } from 'brownout/react';
import 'brownout/styles.css';

const client = createClient({ dependencies: { pricing: { baseUrl: '/api' } } });

// TanStack Query's own retry stays off: Brownout retries in one layer, within the deadline and budget.
export const pricesQuery = {
  queryKey: ['prices'],
  queryFn: createQueryFn(client, 'pricing', '/prices'),
  retry: false,
};
export const loadPrices = (queryClient: QueryClient) => queryClient.fetchQuery(pricesQuery);

function PricingHealth() {
  const metrics = useDependencyMetrics('pricing');
  return (
    <span>{metrics ? `${metrics.retries} retries, p95 ${Math.round(metrics.latency.p95)} ms` : null}</span>
  );
}

export function App({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <BrownoutProvider client={client}>
      {error ? <ProblemNotice error={error} label="Pricing" onRetry={retry} /> : null}
      <PricingHealth />
    </BrownoutProvider>
  );
}
