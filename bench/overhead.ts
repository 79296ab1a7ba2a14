// Per-call overhead on the success path, the breaker's decision cost, and store notifications.
// Bundled by bench/run.mjs with esbuild and run in Node; prints ratios against baselines measured in the
// same run (these machines are shared and noisy: compare ratios, not absolute times).
import { CircuitBreaker } from '../src/core/CircuitBreaker.js';
import { createClient, createCoreClient } from '../src/index.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeAsync(fn: () => Promise<unknown>, n: number): Promise<number> {
  for (let i = 0; i < 200; i++) await fn();
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) await fn();
    rounds.push(((performance.now() - t) * 1000) / n);
  }
  return median(rounds);
}

function timeSync(fn: () => void, n: number): number {
  for (let i = 0; i < 10_000; i++) fn();
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    rounds.push(((performance.now() - t) * 1_000_000) / n);
  }
  return median(rounds);
}

export async function run(): Promise<Record<string, unknown>> {
  const bare = async (): Promise<Response> => new Response('{}');
  const core = createCoreClient({
    fetch: bare,
    dependencies: { api: { reads: 'none' } },
  });
  const full = createClient({ fetch: bare, dependencies: { api: {} } });
  const N = 5_000;
  const bareUs = await timeAsync(async () => (await bare()).text(), N);
  const coreUs = await timeAsync(async () => (await core.fetch('api', 'https://a.test/x')).text(), N);
  const fullUs = await timeAsync(async () => (await full.fetch('api', 'https://a.test/x')).text(), N);

  const breaker = new CircuitBreaker(
    {
      consecutiveFailures: 5,
      failureRate: 0.5,
      windowMs: 60_000,
      minimumCalls: 10,
      openMs: 30_000,
      maxOpenMs: 30_000,
      halfOpenTimeoutMs: 10_000,
    },
    {
      now: () => Date.now(),
      setTimeout: (f, ms) => setTimeout(f, ms),
      clearTimeout: (h) => clearTimeout(h as number),
    },
    () => 0.5,
    () => {},
  );
  const noop = (): void => {};
  let sink = 0;
  const emptyNs = timeSync(() => {
    sink++;
    noop();
  }, 1_000_000);
  const breakerNs = timeSync(() => {
    const p = breaker.acquire();
    if ('done' in p) p.done('success');
  }, 1_000_000);

  let notifications = 0;
  const unsubscribe = full.store.subscribe(() => notifications++);
  for (let i = 0; i < 1_000; i++) await (await full.fetch('api', 'https://a.test/x')).text();
  unsubscribe();
  core.dispose();
  full.dispose();
  return {
    'bare fetch-like call (µs)': bareUs,
    'core client, every policy on, reads not cached (µs)': coreUs,
    'createClient (core + store + cached reads) (µs)': fullUs,
    'core / bare': coreUs / bareUs,
    'createClient / bare': fullUs / bareUs,
    'breaker decision (acquire + report), ns': Math.max(0, breakerNs - emptyNs),
    'store notifications for 1 000 healthy requests': notifications,
    sink,
  };
}
