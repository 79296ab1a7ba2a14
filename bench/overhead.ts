// Per-call overhead in memory, on the success path: each contender calls a fetch-like function that returns
// `new Response('{"ok":true}')` at once and reads the body as text, against the bare call in the same run.
// Contenders are interleaved in a new random order each round, with a GC before every batch (bench/interleave.ts);
// the tables show the median per-round ratio against the bare call (and µs per call, for scale only).
// cockatiel is configured to do what Brownout does (bench/contenders.ts); the other anchors are shown as
// people use them — they do less (no signal to fetch, a 5xx resolves), so their rows are for scale.
import { QueryClient } from '@tanstack/query-core';
import ky from 'ky';
import OpossumBreaker from 'opossum';
import pRetry from 'p-retry';
import { type Contender, type FetchFn, standardContenders } from './contenders.js';
import { fmt, type SectionOptions, type SectionResult, table } from './harness.js';
import { interleave, nodeBatch, pairwise } from './interleave.js';

const BODY = '{"ok":true}';
const URL_ = 'https://a.test/x';

export async function run({ quick }: SectionOptions): Promise<SectionResult> {
  const n = quick ? 300 : 2_000;
  const rounds = quick ? 5 : 15;
  const gc = (globalThis as { gc?: () => void }).gc;

  const fetchLike: FetchFn = async () =>
    new Response(BODY, { status: 200, headers: { 'content-type': 'application/json' } });
  const opossum = new OpossumBreaker(fetchLike, { timeout: 3_000 });
  const kyClient = ky.create({ retry: 3, timeout: 3_000, fetch: fetchLike as typeof fetch });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 3, staleTime: 0 } } });
  const standard = standardContenders(fetchLike, URL_);
  const anchors: Contender[] = [
    { name: 'ky (retry 3, timeout 3 s, custom fetch)', call: () => kyClient.get(URL_).text() },
    {
      name: 'opossum fire() (breaker + timeout; no retry, a 5xx resolves)',
      call: async () => ((await opossum.fire(URL_)) as Response).text(),
    },
    {
      name: 'p-retry (retries 3; no timeout, a 5xx resolves)',
      call: async () => (await pRetry(() => fetchLike(URL_), { retries: 3 })).text(),
    },
    {
      name: 'query-core fetchQuery (retry 3, staleTime 0)',
      call: () =>
        queryClient.fetchQuery({ queryKey: ['b'], queryFn: async () => (await fetchLike(URL_)).text() }),
    },
  ];
  const all = [...standard, ...anchors];
  const batch = nodeBatch(all.map((c) => c.call));
  const options = { n, rounds, gc, seed: 7 };
  const together = await interleave(
    batch,
    all.map((_, i) => i),
    options,
  );
  const pairs = await pairwise(
    batch,
    standard.map((_, i) => i),
    options,
  );

  for (const c of all) c.dispose?.();
  opossum.shutdown();
  queryClient.clear();

  const index = (prefix: string): number => all.findIndex((c) => c.name.startsWith(prefix));
  const client = index('Brownout createClient');
  const core = index('Brownout createCoreClient');
  const cockatiel = index('cockatiel');
  const rows = all.map((c, i) => [
    c.name,
    fmt(together[i]!.us),
    fmt(together[i]!.ratio),
    i > 0 && i < standard.length ? fmt(pairs[i - 1]!.ratio) : i === 0 ? '1' : '',
  ]);
  const markdown = [
    `## 2. Per-call overhead in memory, success path (${rounds} rounds × ${n} calls, interleaved in a random order per round)`,
    '',
    table(['client', 'µs/call', '× bare (all interleaved)', '× bare (pairwise)'], rows),
    '',
    'A fetch-like function returning `new Response(\'{"ok":true}\')` at once; every row reads the body as text.',
    'Each round runs every contender once in a new random order, a GC before each batch; a ratio is the median',
    'of the per-round ratios to the bare call. Pairwise: the bare call and one contender alone, interleaved alike.',
    'cockatiel is configured as Brownout is (bench/contenders.ts: signal to fetch, 5xx a failure, body read',
    'inside the policy, cooperative total and attempt timeouts, consecutive and rate breakers); the other',
    'anchors as they are usually used (they do less). Target (issue 12): Brownout at or below cockatiel',
    `configured equivalently — this run: createClient ${fmt(together[client]!.ratio)}×, the core ${fmt(
      together[core]!.ratio,
    )}×, cockatiel ${fmt(together[cockatiel]!.ratio)}×.`,
  ].join('\n');
  return {
    markdown,
    json: {
      brownoutVsBare: together[client]!.ratio,
      brownoutCoreVsBare: together[core]!.ratio,
      cockatielEquivalentVsBare: together[cockatiel]!.ratio,
      pairwiseVsBare: Object.fromEntries(standard.slice(1).map((c, i) => [c.name, pairs[i]!.ratio])),
      bareUs: together[0]!.us,
      inMemory: Object.fromEntries(
        all.map((c, i) => [c.name, { us: together[i]!.us, vsBare: together[i]!.ratio }]),
      ),
    },
    checks: [],
  };
}
