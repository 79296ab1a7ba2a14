// The per-call contenders every timing section shares (in memory, Node loopback, Chromium page): the bare
// fetch, Brownout as an app builds it, and cockatiel configured to do what Brownout does on a call.
//
// "Equivalent" means cockatiel is given the work Brownout does, not less:
// - the policy's signal goes to fetch (a timeout or a dispose aborts the request, as Brownout's does);
// - a 5xx (and 408/429) is a failure the retry and the breakers see, not a value that resolves;
// - the body is read inside the policy, so the attempt timeout covers it (Brownout's body idle timeout);
// - timeouts are cooperative with the fetch's signal: a total deadline around the retries (Brownout's
//   totalMs, 10 s) and one per attempt (headersMs, 3 s);
// - Brownout's breaker counts both 5 consecutive failures and a 50 % failure rate over 60 s: cockatiel
//   needs two breakers for that (ConsecutiveBreaker and SamplingBreaker);
// - retries: 3 attempts in all (cockatiel's maxAttempts counts retries: 2), exponential backoff 100 ms–5 s.
// What cockatiel has no equivalent for stays Brownout's own cost: the retry budget, trace and deadline
// headers, metrics and the store.
import {
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  SamplingBreaker,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { createClient, createCoreClient } from '../src/index.js';

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** One contender: `call()` makes one request and reads its body as text. */
export interface Contender {
  readonly name: string;
  readonly call: () => Promise<unknown>;
  readonly dispose?: () => void;
}

/** A status Brownout retries by default (DEFAULTS.dependency.retry.statuses). */
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

const isAbort = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';
/** Retried: a retriable status or a network error (a TypeError from fetch), not the caller's abort. */
const retriable = (e: unknown): boolean =>
  e instanceof HttpStatusError ? RETRY_STATUSES.has(e.status) : !isAbort(e);
/** Counted by the breakers: a 5xx, a network error, a timeout — not a 4xx, not an abort. */
const countsForBreaker = (e: unknown): boolean =>
  e instanceof HttpStatusError ? e.status >= 500 || e.status === 408 || e.status === 429 : !isAbort(e);

/** cockatiel configured as Brownout's defaults are (see the header). */
export function cockatielEquivalent(fetchFn: FetchFn, url: string): Contender {
  const policy = wrap(
    timeout(10_000, TimeoutStrategy.Cooperative),
    retry(handleWhen(retriable), {
      maxAttempts: 2,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 5_000 }),
    }),
    circuitBreaker(handleWhen(countsForBreaker), {
      halfOpenAfter: 30_000,
      breaker: new ConsecutiveBreaker(5),
    }),
    circuitBreaker(handleWhen(countsForBreaker), {
      halfOpenAfter: 30_000,
      breaker: new SamplingBreaker({ threshold: 0.5, duration: 60_000 }),
    }),
    timeout(3_000, TimeoutStrategy.Cooperative),
  );
  return {
    name: 'cockatiel, configured equivalently',
    call: () =>
      policy.execute(async ({ signal }) => {
        const response = await fetchFn(url, { signal });
        if (!response.ok) {
          // The error body is read (and dropped) as Brownout reads it for problem details.
          await response.text();
          throw new HttpStatusError(response.status);
        }
        return response.text();
      }),
  };
}

export const bare = (fetchFn: FetchFn, url: string): Contender => ({
  name: 'bare fetch',
  call: async () => (await fetchFn(url)).text(),
});

/**
 * Brownout as a read-only app builds it: `createClient` with one dependency (default policies: deadlines,
 * retry, budget, breaker, memory cache for reads, store), and trace headers on (the origin is allowed).
 */
export function brownoutClient(fetchFn: FetchFn, url: string): Contender {
  const origin = new URL(url).origin;
  const client = createClient({
    fetch: fetchFn as typeof fetch,
    allowedOrigins: [origin],
    dependencies: { api: {} },
  });
  return {
    name: 'Brownout createClient',
    call: async () => (await client.fetch('api', url)).text(),
    dispose: () => client.dispose(),
  };
}

/** The core alone (no store, no cache): what the pipeline costs without the client layer. */
export function brownoutCore(fetchFn: FetchFn, url: string): Contender {
  const origin = new URL(url).origin;
  const client = createCoreClient({
    fetch: fetchFn as typeof fetch,
    allowedOrigins: [origin],
    dependencies: { api: { reads: 'none' } },
  });
  return {
    name: 'Brownout createCoreClient (reads: none)',
    call: async () => (await client.fetch('api', url)).text(),
    dispose: () => client.dispose(),
  };
}

/** The four, bare first (index 0 is every ratio's baseline). */
export const standardContenders = (fetchFn: FetchFn, url: string): Contender[] => [
  bare(fetchFn, url),
  brownoutClient(fetchFn, url),
  brownoutCore(fetchFn, url),
  cockatielEquivalent(fetchFn, url),
];
