// The soak's distinct-URL run: every call reads a URL never read before (a catalogue scrolled, a search typed),
// through one createClient (core + memory cache + store) with a fake fetch, on a virtual clock. Each read is
// a new key of `store.freshness`: the run times 1 000 calls at each key count and reports the growth (time
// per 1 000 calls at the largest count ÷ at the smallest; O(1) per call means ≈ 1), and how many keys the
// store holds at the end (bounded by `store.maxFreshness`). Calls go one at a time: nothing batches them.
import { createClient } from '../src/index.js';
import { MAX_FRESHNESS } from '../src/store/createDegradationStore.js';
import { fmt, median } from './harness.js';
import { createSimClock } from './simClock.js';

export interface DistinctUrlsResult {
  /** Distinct URLs read before each timed window. */
  readonly checkpoints: readonly { readonly keys: number; readonly msPer1000: number }[];
  /** msPer1000 at the largest key count ÷ at the smallest. */
  readonly growth: number;
  /** Keys in `store.freshness` at the end, and the cap. */
  readonly freshnessKeys: number;
  readonly maxFreshness: number;
  readonly calls: number;
}

export const DISTINCT_CHECKPOINTS = [1_000, 5_000, 10_000, 20_000] as const;
const WINDOW = 1_000;
const CHUNK = 200;

const body = '{"ok":true,"items":[1,2,3]}';
const reader = () => {
  const clock = createSimClock(Date.UTC(2026, 0, 1));
  const client = createClient({
    clock,
    fetch: (async () => new Response(body, { status: 200 })) as typeof globalThis.fetch,
    dependencies: { catalogue: { baseUrl: 'https://api.test' } },
  });
  let i = 0;
  const one = async (): Promise<void> => {
    const response = await client.fetch('catalogue', `/items/${i++}`);
    await response.text();
    // A little time passes between reads (their fetchedAt differ, as on a page).
    await clock.runUntil(clock.now() + 1);
  };
  return { client, one, count: () => i };
};

export async function runDistinctUrls(): Promise<DistinctUrlsResult> {
  // A throwaway client first: the JIT is warm before the smallest key count is timed.
  const warm = reader();
  for (let k = 0; k < 2_000; k++) await warm.one();
  warm.client.dispose();
  const { client, one, count } = reader();
  const gc = (globalThis as { gc?: () => void }).gc;
  const checkpoints: { keys: number; msPer1000: number }[] = [];
  for (const keys of DISTINCT_CHECKPOINTS) {
    while (count() < keys) await one();
    gc?.();
    // The window in chunks; the median chunk stands for it (one GC pause or a neighbour's burst is noise).
    const chunks: number[] = [];
    for (let c = 0; c < WINDOW / CHUNK; c++) {
      const t = performance.now();
      for (let k = 0; k < CHUNK; k++) await one();
      chunks.push(performance.now() - t);
    }
    checkpoints.push({ keys, msPer1000: median(chunks) * (WINDOW / CHUNK) });
  }
  const freshnessKeys = Object.keys(client.store.getState().freshness).length;
  client.dispose();
  const first = checkpoints[0]!.msPer1000;
  const last = checkpoints.at(-1)!.msPer1000;
  return {
    checkpoints,
    growth: Number((last / first).toFixed(3)),
    freshnessKeys,
    maxFreshness: MAX_FRESHNESS,
    calls: count(),
  };
}

export const distinctUrlsRows = (r: DistinctUrlsResult): (string | number)[][] =>
  r.checkpoints.map((c) => [
    c.keys.toLocaleString('en'),
    fmt(c.msPer1000, 1),
    fmt((c.msPer1000 * 1000) / WINDOW, 1),
  ]);
