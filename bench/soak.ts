// Soak: many calls through one client (createClient: core + cache + store) with a mix of successes,
// failures, timeouts, caller aborts and unread bodies, most of them under one long-lived caller
// AbortSignal, on a virtual clock. Measured: heap growth after GC (run with --expose-gc), listeners left
// on the long-lived signal, and timers left after dispose(). Then the distinct-URL run (bench/distinctUrls.ts):
// a URL never read before per call, timed at 1 000 → 20 000 keys of `store.freshness` (`soak.distinctUrls`).
import { setMaxListeners } from 'node:events';
import { createSeededRandom } from '../src/core/random.js';
import { createClient } from '../src/index.js';
import { DISTINCT_CHECKPOINTS, distinctUrlsRows, runDistinctUrls } from './distinctUrls.js';
import { type Check, fmt, type SectionOptions, type SectionResult, table } from './harness.js';
import { createSimClock } from './simClock.js';

type Kind = 'success' | 'failure' | 'timeout' | 'abort' | 'unread';
const MIX: readonly [Kind, number][] = [
  ['success', 0.6],
  ['failure', 0.15],
  ['timeout', 0.1],
  ['abort', 0.1],
  ['unread', 0.05],
];

export async function run({ quick }: SectionOptions): Promise<SectionResult> {
  const total = quick ? 10_000 : 100_000;
  const batch = 100;
  const clock = createSimClock(Date.UTC(2026, 0, 1));
  const random = createSeededRandom(42);

  // The long-lived signal (a page's or a router's), with its listeners counted.
  const longLived = new AbortController();
  const listeners = new Set<unknown>();
  const signal = longLived.signal;
  // 100 calls in flight share it: Node's leak warning at 11 listeners would be noise here.
  setMaxListeners(1_000, signal);
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: any, options?: any) => {
    listeners.add(listener);
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: any, options?: any) => {
    listeners.delete(listener);
    remove(type, listener, options);
  }) as typeof signal.removeEventListener;

  // The dependency answers by the kind written in the URL; a hanging answer rejects like fetch on abort.
  const fetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    const kind = url.slice(url.lastIndexOf('/') + 1).split('-')[0] as Kind;
    if (kind === 'success' || kind === 'unread')
      return Promise.resolve(new Response('{"ok":true,"items":[1,2,3]}', { status: 200 }));
    if (kind === 'failure') {
      return Promise.resolve(
        new Response('{"title":"Oops","detail":"down"}', {
          status: 503,
          headers: { 'content-type': 'application/problem+json' },
        }),
      );
    }
    return new Promise((_, reject) => {
      const s = init.signal;
      if (s?.aborted) return reject(s.reason);
      s?.addEventListener('abort', () => reject(s.reason), { once: true });
    });
  };
  const client = createClient({
    clock,
    random,
    fetch: fetch as typeof globalThis.fetch,
    // Failures and timeouts go to their own dependency, with its breaker off: an open breaker would refuse
    // them at once, and the soak is about what a failing, retrying, timing-out call leaves behind (section
    // 4 covers the breaker). The others go to a healthy dependency with every default.
    dependencies: {
      api: { timeouts: { headersMs: 3_000, totalMs: 10_000 } },
      flaky: {
        timeouts: { headersMs: 3_000, totalMs: 10_000 },
        breaker: { consecutiveFailures: Number.POSITIVE_INFINITY, failureRate: Number.POSITIVE_INFINITY },
      },
    },
  });

  const outcomes: Record<string, number> = {};
  const pick = (): Kind => {
    let r = random();
    for (const [kind, share] of MIX) {
      if (r < share) return kind;
      r -= share;
    }
    return 'success';
  };
  const one = async (i: number): Promise<void> => {
    const kind = pick();
    const url = `https://api.test/${kind}-${i % 100}`;
    let own: AbortController | undefined;
    if (kind === 'abort') {
      own = new AbortController();
      const c = own;
      clock.setTimeout(() => c.abort(new Error('user navigated away')), 5);
    }
    try {
      const dependency = kind === 'failure' || kind === 'timeout' ? 'flaky' : 'api';
      const response = await client.fetch(dependency, url, { signal: own ? own.signal : signal });
      if (kind !== 'unread') await response.text();
      outcomes[`ok (${kind})`] = (outcomes[`ok (${kind})`] ?? 0) + 1;
    } catch (e) {
      const k = (e as { kind?: string }).kind ?? 'other';
      outcomes[`${k} (${kind})`] = (outcomes[`${k} (${kind})`] ?? 0) + 1;
    }
  };
  const drive = async (calls: number, from: number): Promise<void> => {
    for (let start = 0; start < calls; start += batch) {
      let open = 0;
      for (let i = 0; i < batch; i++) {
        open++;
        void one(from + start + i).finally(() => open--);
      }
      while (open > 0) await clock.runUntil(clock.now() + 50);
    }
  };

  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = async (): Promise<number> => {
    await clock.settle();
    if (!gc) return Number.NaN;
    for (let i = 0; i < 3; i++) {
      gc();
      await clock.settle();
    }
    return process.memoryUsage().heapUsed;
  };
  const warmup = Math.round(total / 10);
  await drive(warmup, 0);
  const heapBefore = await heap();
  const t = performance.now();
  await drive(total, warmup);
  const seconds = (performance.now() - t) / 1000;
  const heapAfter = await heap();
  const listenersLeft = listeners.size;
  const pendingBeforeDispose = clock.pending;
  client.dispose();
  await clock.settle();
  const timersLeft = clock.pending;
  const heapGrowthBytes = heapAfter - heapBefore;
  // The distinct-URL run, after the main one (its own client; the same one in both modes: it is short).
  const distinctUrls = await runDistinctUrls();

  const checks: Check[] = [
    {
      name: 'soak: listeners left on the long-lived signal = 0',
      ok: listenersLeft === 0,
      detail: `${listenersLeft}`,
    },
    { name: 'soak: timers left after dispose() = 0', ok: timersLeft === 0, detail: `${timersLeft}` },
    {
      name: `soak: distinct URLs, store.freshness ≤ maxFreshness (${distinctUrls.maxFreshness}) keys`,
      ok: distinctUrls.freshnessKeys <= distinctUrls.maxFreshness,
      detail: `${distinctUrls.freshnessKeys} after ${distinctUrls.calls.toLocaleString('en')} URLs`,
    },
  ];
  const markdown = [
    `## 8. Soak (${total.toLocaleString('en')} calls through one createClient, after ${warmup.toLocaleString('en')} warm-up calls)`,
    '',
    table(
      ['measure', 'value', 'target'],
      [
        [
          'heap growth after GC',
          gc
            ? `${fmt(heapGrowthBytes / 1024, 1)} kB${heapGrowthBytes <= 0 ? ' (none: less than after the warm-up)' : ''}`
            : 'n/a (no --expose-gc)',
          '< 1 MB',
        ],
        ['listeners left on the long-lived signal', listenersLeft, '0'],
        ['timers pending before dispose() (breaker, store)', pendingBeforeDispose, '—'],
        ['timers left after dispose()', timersLeft, '0'],
        ['wall time for the calls (virtual clock; for scale only)', `${fmt(seconds, 1)} s`, '—'],
      ],
    ),
    '',
    `Mix: ${MIX.map(([k, s]) => `${k} ${s * 100} %`).join(', ')} ("unread": the body is never read). Outcomes: ${Object.entries(
      outcomes,
    )
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    'Node prints one MaxListenersExceededWarning here: with 100 bodies read at once, each pending read',
    "listens on the client's internal disposal signal (src/core/watchBody.ts, `stop`). The listeners go as",
    "the reads end (no leak: the count above is for the caller's signal, and the heap does not grow);",
    'browsers have no such warning.',
    '',
    `### Distinct URLs (${distinctUrls.calls.toLocaleString('en')} reads, each of a URL never read before, one at a time)`,
    '',
    table(['distinct URLs read before', 'ms per 1 000 calls', 'µs per call'], distinctUrlsRows(distinctUrls)),
    '',
    `Growth (time per 1 000 calls at ${DISTINCT_CHECKPOINTS.at(-1)!.toLocaleString('en')} keys ÷ at ${DISTINCT_CHECKPOINTS[0].toLocaleString('en')}): **${fmt(distinctUrls.growth)}** (O(1) per call ≈ 1). \`store.freshness\``,
    `holds ${distinctUrls.freshnessKeys} keys at the end (\`store.maxFreshness\`, default ${distinctUrls.maxFreshness}: the least recently updated go`,
    'first). Each new key still builds one new record of at most that many keys (the store publishes',
    'immutable snapshots), so the cost of a call is bounded by the cap, not by the URLs the app has read.',
  ].join('\n');
  return {
    markdown,
    json: {
      calls: total,
      heapGrowthBytes,
      listenersLeft,
      timersLeft,
      pendingBeforeDispose,
      outcomes,
      distinctUrls,
    },
    checks,
  };
}
