// Retry storm: N clients race to update one optimistic-concurrency row, after Marc Brooker, "Exponential
// Backoff And Jitter" (AWS Architecture Blog, 2015) and the simulator published with it: every client
// reads the row's version, then writes it back with that version; a write succeeds only if no other
// write landed in between, and a client whose write failed backs off and starts over. The network delay
// of each message is |Normal(10 ms, 2 ms)|; base 5 ms, cap 2 s, as in the post. "Calls" counts writes
// (the work the database does), "time" is when the last client succeeded.
//
// The five strategies of the post are simulated with its formulas. The Brownout rows run the real
// client (src/core/createClient.ts: its retry loop, its backoff from src/core/backoff.ts, its timers) on
// the same virtual clock, one client per contender, answering 409 to a lost write (made retriable here).
import { createCoreClient } from '../src/core/createCoreClient.js';
import { createSeededRandom, type Random } from '../src/core/random.js';
import {
  type Check,
  fmt,
  mean,
  quantile,
  type SectionOptions,
  type SectionResult,
  table,
} from './harness.js';
import { createSimClock, type SimClock, sleepOn } from './simClock.js';

const BASE = 5;
const CAP = 2_000;

/** |Normal(mean, sd)| by Box–Muller, as the blog's `abs(random.normalvariate(10, 2))`. */
const netDelay = (random: Random): number => {
  const u = 1 - random();
  const v = random();
  return Math.abs(10 + 2 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
};

type Formula = (n: number, random: Random, state: { sleep: number }) => number;
const expo = (n: number): number => Math.min(CAP, 2 ** n * BASE);
// The post's formulas, with its numbering: n = 1 on the first retry.
const FORMULAS: Record<string, Formula> = {
  'no backoff': () => 0,
  exponential: (n) => expo(n),
  'full jitter': (n, random) => random() * expo(n),
  'equal jitter': (n, random) => expo(n) / 2 + random() * (expo(n) / 2),
  'decorrelated jitter': (_n, random, state) => {
    state.sleep = Math.min(CAP, BASE + random() * (state.sleep * 3 - BASE));
    return state.sleep;
  },
};

interface Trial {
  readonly calls: number;
  readonly timeMs: number;
}

/** The post's simulation with one of its formulas: synchronous, on a heap of timed messages. */
function simulate(clients: number, formula: Formula, seed: number): Trial {
  const random = createSeededRandom(seed);
  const clock = createSimClock();
  let version = 0;
  let calls = 0;
  let last = 0;
  for (let c = 0; c < clients; c++) {
    let attempt = 0;
    const state = { sleep: BASE };
    const start = (after: number): void => {
      // read arrives → version read, reply travels back → write travels → write lands → reply travels back
      clock.setTimeout(() => {
        const seen = version;
        clock.setTimeout(() => {
          calls++;
          const ok = seen === version;
          if (ok) version++;
          clock.setTimeout(() => {
            if (ok) last = clock.now();
            else start(formula(++attempt, random, state));
          }, netDelay(random));
        }, netDelay(random) + netDelay(random));
      }, after + netDelay(random));
    };
    start(0);
  }
  clock.runAllSync();
  return { calls, timeMs: last };
}

/**
 * The same race with a real Brownout core client per contender. Its retry loop sleeps on the virtual clock
 * between a 409 and the next attempt; `baseMs` is the first retry's ceiling in Brownout (the post's
 * `2^1 · base` = 10 ms), so `baseMs: 10, capMs: 2000` is the post's curve.
 */
async function simulateBrownout(
  clients: number,
  seed: number,
  retry: { baseMs: number; capMs: number },
): Promise<Trial> {
  const clock: SimClock = createSimClock();
  const net = createSeededRandom(seed ^ 0x9e3779b9);
  let version = 0;
  let calls = 0;
  const fetch = async (): Promise<Response> => {
    await sleepOn(clock, netDelay(net));
    const seen = version;
    await sleepOn(clock, netDelay(net) + netDelay(net));
    calls++;
    const ok = seen === version;
    if (ok) version++;
    await sleepOn(clock, netDelay(net));
    return new Response(null, { status: ok ? 200 : 409 });
  };
  let last = 0;
  let failed = 0;
  const all: Promise<void>[] = [];
  const made = [];
  for (let c = 0; c < clients; c++) {
    const client = createCoreClient({
      clock,
      random: createSeededRandom(seed * 1_000 + c),
      fetch: fetch as typeof globalThis.fetch,
      // One write per client: the budget and the breaker are per-app protections against an outage, not
      // part of this contention model, so they are out of the way here.
      retryBudget: { ratio: 1, minPerSecond: 1e9 },
      dependencies: {
        row: {
          reads: 'none',
          retry: { ...retry, maxAttempts: 1_000_000, statuses: [409] },
          timeouts: { headersMs: 1e9, bodyIdleMs: 1e9, totalMs: 1e12 },
          breaker: { consecutiveFailures: Number.POSITIVE_INFINITY, failureRate: Number.POSITIVE_INFINITY },
        },
      },
    });
    made.push(client);
    all.push(
      client.fetch('row', 'https://occ.test/row', { method: 'PUT' }).then(
        () => {
          last = Math.max(last, clock.now());
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await clock.runAll();
  await Promise.all(all);
  for (const client of made) client.dispose();
  if (failed > 0) throw new Error(`storm: ${failed} Brownout contenders gave up`);
  return { calls, timeMs: last };
}

interface Row {
  readonly name: string;
  readonly byN: Map<number, { calls: number[]; time: number[] }>;
}

export async function run({ quick }: SectionOptions): Promise<SectionResult> {
  const sizes = [10, 25, 50, 100, 200];
  const trials = quick ? 10 : 100;
  const rows: Row[] = [];
  const add = (name: string, n: number, t: Trial): void => {
    let row = rows.find((r) => r.name === name);
    if (!row) {
      row = { name, byN: new Map() };
      rows.push(row);
    }
    const cell = row.byN.get(n) ?? { calls: [], time: [] };
    cell.calls.push(t.calls);
    cell.time.push(t.timeMs);
    row.byN.set(n, cell);
  };
  for (const n of sizes) {
    for (let trial = 0; trial < trials; trial++) {
      const seed = n * 100_003 + trial;
      for (const [name, formula] of Object.entries(FORMULAS)) add(name, n, simulate(n, formula, seed));
      add(
        'Brownout (real client, base 10 ms, cap 2 s)',
        n,
        await simulateBrownout(n, seed, { baseMs: 10, capMs: 2_000 }),
      );
      add(
        'Brownout defaults (base 100 ms, cap 5 s)',
        n,
        await simulateBrownout(n, seed, { baseMs: 100, capMs: 5_000 }),
      );
    }
  }

  const cell = (name: string, n: number) => rows.find((r) => r.name === name)!.byN.get(n)!;
  const columns = ['strategy', ...sizes.map((n) => `N=${n}`)];
  const show = (pick: (c: { calls: number[]; time: number[] }) => string) =>
    rows.map((r) => [r.name, ...sizes.map((n) => pick(r.byN.get(n)!))]);
  const storm = sizes.map((n) => ({
    clients: n,
    brownoutCalls: mean(cell('Brownout (real client, base 10 ms, cap 2 s)', n).calls),
    brownoutDefaultsCalls: mean(cell('Brownout defaults (base 100 ms, cap 5 s)', n).calls),
    fullJitterCalls: mean(cell('full jitter', n).calls),
    exponentialCalls: mean(cell('exponential', n).calls),
    noBackoffCalls: mean(cell('no backoff', n).calls),
    brownoutTimeMs: mean(cell('Brownout (real client, base 10 ms, cap 2 s)', n).time),
    brownoutDefaultsTimeMs: mean(cell('Brownout defaults (base 100 ms, cap 5 s)', n).time),
    fullJitterTimeMs: mean(cell('full jitter', n).time),
    exponentialTimeMs: mean(cell('exponential', n).time),
  }));
  const ratioRows = storm.map((s) => [
    s.clients,
    fmt(s.fullJitterCalls / s.exponentialCalls),
    fmt(s.brownoutCalls / s.fullJitterCalls),
    fmt(s.brownoutTimeMs / s.fullJitterTimeMs),
    fmt(s.brownoutDefaultsCalls / s.fullJitterCalls),
    fmt(s.brownoutDefaultsTimeMs / s.fullJitterTimeMs),
  ]);
  const markdown = [
    `## 5. Retry storm (OCC race after Brooker 2015; ${trials} seeded trials per cell)`,
    '',
    'Writes to the row (the work), mean / p95:',
    '',
    table(
      columns,
      show((c) => `${fmt(mean(c.calls), 0)} / ${fmt(quantile(c.calls, 0.95), 0)}`),
    ),
    '',
    'Time until the last client succeeded, ms, mean / p95:',
    '',
    table(
      columns,
      show((c) => `${fmt(mean(c.time), 0)} / ${fmt(quantile(c.time, 0.95), 0)}`),
    ),
    '',
    'Ratios of means (target: Brownout calls ≤ full jitter, time ≤ 1.1× full jitter):',
    '',
    table(
      [
        'N',
        'full jitter / exponential calls',
        'Brownout / full jitter calls',
        'Brownout / full jitter time',
        'Brownout defaults / full jitter calls',
        'Brownout defaults / full jitter time',
      ],
      ratioRows,
    ),
    '',
    "The post's formulas number retries from 1 (`2^1 · base` = 10 ms for the first); Brownout's `baseMs` is",
    "the first retry's ceiling, so `baseMs: 10` is the same curve. Brownout's real client also pays its own",
    'costs (none on the virtual clock: its timers are the same clock). Its defaults (100 ms, 5 s) are made for',
    'a browser talking to an API, not for a database row contended by 200 writers: fewer calls, later finish.',
  ].join('\n');
  const checks: Check[] = [];
  return { markdown, json: { storm, trials }, checks };
}
