// Per-call overhead on the success path: (a) around an async function that resolves at once, (b) around a
// fetch-like function returning `new Response('{}')` (the body read as text), against the bare call, for
// Brownout and the anchors. These machines are shared and noisy: contenders run interleaved, round by
// round, and each round's time is divided by the bare call's time in the same round; the table shows the
// median of those per-round ratios (and the median µs per call, for scale only).
import { QueryClient } from '@tanstack/query-core';
import {
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleAll,
  retry,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import ky from 'ky';
import OpossumBreaker from 'opossum';
import pRetry from 'p-retry';
import { CircuitBreaker } from '../src/core/CircuitBreaker.js';
import { createClient, createCoreClient } from '../src/index.js';
import { fmt, median, type SectionOptions, type SectionResult, table } from './harness.js';

type Call = () => Promise<unknown>;

interface Contender {
  readonly name: string;
  readonly a?: Call | undefined;
  readonly b?: Call | undefined;
  readonly note?: string;
}

async function timeRounds(
  calls: readonly (Call | undefined)[],
  n: number,
  rounds: number,
): Promise<{ us: number[]; ratio: number[] }> {
  const perRound: number[][] = calls.map(() => []);
  for (const call of calls) if (call) for (let i = 0; i < Math.min(n, 500); i++) await call();
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < calls.length; k++) {
      const call = calls[k];
      if (!call) continue;
      const t = performance.now();
      for (let i = 0; i < n; i++) await call();
      perRound[k]!.push(((performance.now() - t) * 1000) / n);
    }
  }
  // Index 0 is the bare call.
  const bare = perRound[0]!;
  return {
    us: perRound.map((xs) => (xs.length ? median(xs) : Number.NaN)),
    ratio: perRound.map((xs) => (xs.length ? median(xs.map((x, r) => x / bare[r]!)) : Number.NaN)),
  };
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

export async function run({ quick }: SectionOptions): Promise<SectionResult> {
  const n = quick ? 300 : 2_000;
  const rounds = quick ? 3 : 9;

  const asyncFn = async (): Promise<number> => 1;
  const fetchLike = async (): Promise<Response> => new Response('{}');
  // For (a), HTTP clients get a fetch that resolves at once with a response without a body: nothing to
  // read, so what is measured is the client's own work.
  const empty = new Response(null);
  const fetchAtOnce = async (): Promise<Response> => empty;
  const URL_ = 'https://a.test/x';

  // Brownout with every policy on: deadlines, retry, budget, breaker, metrics, and trace (the origin is
  // allowed, as a same-origin call in a browser is). Reads are not cached in the core client.
  const core = (f: typeof fetch) =>
    createCoreClient({
      fetch: f,
      allowedOrigins: ['https://a.test'],
      dependencies: { api: { reads: 'none' } },
    });
  const coreA = core(fetchAtOnce);
  const coreB = core(fetchLike);
  const fullA = createClient({
    fetch: fetchAtOnce,
    allowedOrigins: ['https://a.test'],
    dependencies: { api: {} },
  });
  const fullB = createClient({
    fetch: fetchLike,
    allowedOrigins: ['https://a.test'],
    dependencies: { api: {} },
  });

  const cockatiel = () =>
    wrap(
      retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),
      circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
      timeout(3_000, TimeoutStrategy.Cooperative),
    );
  const cockA = cockatiel();
  const cockB = cockatiel();
  const opA = new OpossumBreaker(asyncFn, { timeout: 3_000 });
  const opB = new OpossumBreaker(fetchLike, { timeout: 3_000 });
  const kyA = ky.create({ retry: 3, timeout: 3_000, fetch: fetchAtOnce });
  const kyB = ky.create({ retry: 3, timeout: 3_000, fetch: fetchLike });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 3, staleTime: 0 } } });

  const contenders: Contender[] = [
    { name: 'bare call', a: () => asyncFn(), b: async () => (await fetchLike()).text() },
    {
      name: 'Brownout core client (every policy on)',
      a: () => coreA.fetch('api', URL_),
      b: async () => (await coreB.fetch('api', URL_)).text(),
    },
    {
      name: 'Brownout createClient (core + store + cached reads)',
      a: () => fullA.fetch('api', URL_),
      b: async () => (await fullB.fetch('api', URL_)).text(),
    },
    {
      name: 'cockatiel wrap(retry, breaker, timeout)',
      a: () => cockA.execute(() => asyncFn()),
      b: async () => (await cockB.execute(() => fetchLike())).text(),
    },
    {
      name: 'opossum fire() (breaker + timeout, no retry)',
      a: () => opA.fire(),
      b: async () => ((await opB.fire()) as Response).text(),
    },
    {
      name: 'p-retry (retries: 3)',
      a: () => pRetry(asyncFn, { retries: 3 }),
      b: async () => (await pRetry(fetchLike, { retries: 3 })).text(),
    },
    {
      name: 'ky (retry 3, timeout 3 s, custom fetch)',
      a: () => kyA.get(URL_),
      b: () => kyB.get(URL_).text(),
    },
    {
      name: 'query-core fetchQuery (retry 3, staleTime 0)',
      a: () => queryClient.fetchQuery({ queryKey: ['a'], queryFn: asyncFn }),
      b: () => queryClient.fetchQuery({ queryKey: ['b'], queryFn: async () => (await fetchLike()).text() }),
    },
  ];

  const a = await timeRounds(
    contenders.map((c) => c.a),
    n * 2,
    rounds,
  );
  const b = await timeRounds(
    contenders.map((c) => c.b),
    n,
    rounds,
  );

  // Extras: what pieces cost on their own.
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
  let sink = 0;
  const emptyNs = timeSync(() => {
    sink++;
  }, 1_000_000);
  const breakerNs = timeSync(() => {
    const p = breaker.acquire();
    if ('done' in p) p.done('success');
  }, 1_000_000);
  const abortNs = timeSync(() => {
    const c = new AbortController();
    c.abort();
  }, 100_000);

  let notifications = 0;
  const unsubscribe = fullB.store.subscribe(() => notifications++);
  for (let i = 0; i < 1_000; i++) await (await fullB.fetch('api', URL_)).text();
  unsubscribe();
  for (const c of [coreA, coreB, fullA, fullB]) c.dispose();
  opA.shutdown();
  opB.shutdown();
  queryClient.clear();

  const rows = contenders.map((c, i) => [
    c.name,
    fmt(a.us[i]!),
    fmt(a.ratio[i]!),
    fmt(b.us[i]!),
    fmt(b.ratio[i]!),
  ]);
  const markdown = [
    `## 2. Per-call overhead, success path (median of ${rounds} interleaved rounds; compare the ratios)`,
    '',
    table(['client', '(a) µs/call', '(a) × bare', '(b) µs/call', '(b) × bare'], rows),
    '',
    '(a): an async function resolving at once (Brownout and ky get a fetch resolving at once with a',
    "body-less response). (b): a fetch-like function returning `new Response('{}')`, body read as text.",
    'Target: Brownout ≤ 1.3× bare on (b).',
    '',
    table(
      ['piece', 'cost'],
      [
        ['breaker decision (acquire + report)', `${fmt(Math.max(0, breakerNs - emptyNs), 0)} ns`],
        ['new AbortController() + abort()', `${fmt(abortNs / 1000)} µs`],
        ['store notifications for 1 000 healthy requests', String(notifications)],
      ],
    ),
  ].join('\n');
  const ratioOf = (name: string): number => b.ratio[contenders.findIndex((c) => c.name.startsWith(name))]!;
  return {
    markdown,
    json: {
      brownoutVsBare: ratioOf('Brownout core'),
      brownoutCreateClientVsBare: ratioOf('Brownout createClient'),
      cockatielVsBare: ratioOf('cockatiel'),
      opossumVsBare: ratioOf('opossum'),
      pRetryVsBare: ratioOf('p-retry'),
      kyVsBare: ratioOf('ky'),
      queryCoreVsBare: ratioOf('query-core'),
      bareUs: b.us[0],
      asyncFn: Object.fromEntries(contenders.map((c, i) => [c.name, a.ratio[i]])),
      fetchLike: Object.fromEntries(contenders.map((c, i) => [c.name, b.ratio[i]])),
      breakerDecisionNs: Math.max(0, breakerNs - emptyNs),
      abortControllerUs: abortNs / 1000,
      storeNotificationsPer1000Healthy: notifications,
      sink,
    },
    checks: [],
  };
}
