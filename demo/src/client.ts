import { QueryClient } from '@tanstack/react-query';
import { createClient, createIndexedDbCache } from '../../src/index.js';
import { bindQueryClient } from '../../src/query/index.js';

/** The demo's one client: five dependencies, each with the policy its role calls for. */
export const client = createClient({
  // Last good prices survive a reload: the shop can show them, with their age, when pricing is down.
  cache: createIndexedDbCache({ databaseName: 'brownout-demo-cache' }),
  dependencies: {
    // Core, cached reads: down → prices from the cache, with how old they are.
    pricing: {
      baseUrl: '/api',
      reads: 'cache',
      maxStaleMs: 24 * 60 * 60_000,
      timeouts: { headersMs: 2_000, totalMs: 5_000 },
      breaker: { consecutiveFailures: 3, openMs: 10_000 },
    },
    // Optional: down → the page works without them.
    reviews: { baseUrl: '/api', criticality: 'optional', timeouts: { headersMs: 1_500, totalMs: 3_000 } },
    recommendations: {
      baseUrl: '/api',
      criticality: 'optional',
      timeouts: { headersMs: 1_500, totalMs: 3_000 },
    },
    // Writes queue: down → "1 change waiting to be sent", replayed once it is back.
    orders: {
      baseUrl: '/api',
      writes: 'queue',
      idempotencyKeys: true,
      timeouts: { headersMs: 2_000, totalMs: 5_000 },
      breaker: { consecutiveFailures: 2, openMs: 8_000 },
    },
    // Critical, fails closed: down → the maintenance screen.
    auth: {
      baseUrl: '/api',
      criticality: 'critical',
      onFailure: 'closed',
      reads: 'none',
      timeouts: { headersMs: 2_000, totalMs: 4_000 },
      breaker: { consecutiveFailures: 2, openMs: 8_000 },
    },
  },
});

export const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000 } } });
// Retries in one layer (Brownout's), freshness for the banners, one probe per open breaker, and a
// refetch of what a replayed write changed.
bindQueryClient(queryClient, client);
