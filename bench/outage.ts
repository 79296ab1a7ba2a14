// Outage load ("retry amplification"): M app instances, each sending a steady stream of reads to one
// dependency that goes fully down for 60 s and then recovers, on a virtual clock. Counted: requests that
// reach the dead dependency per request the app issued, for a naive client (3 retries), cockatiel
// retry + breaker, Brownout with its retry budget only, and Brownout with budget and breaker (defaults).
// Then a 5-deep call chain with retries at every layer versus Brownout retrying at one layer.
import { ConsecutiveBreaker, circuitBreaker, ExponentialBackoff, handleAll, retry, wrap } from 'cockatiel';
import { createCoreClient } from '../src/core/createCoreClient.js';
import type { DependencyOptions } from '../src/core/options.js';
import { createSeededRandom } from '../src/core/random.js';
import {
  type Check,
  fmt,
  mean,
  quantile,
  type SectionOptions,
  type SectionResult,
  table,
} from './harness.js';
import { createSimClock, type SimClock } from './simClock.js';

const HEALTHY_LEAD_MS = 5_000;
const OUTAGE_MS = 60_000;
const TAIL_MS = 15_000;
const DOWN_AT = HEALTHY_LEAD_MS;
const UP_AT = HEALTHY_LEAD_MS + OUTAGE_MS;
const END = UP_AT + TAIL_MS;
/** Each app instance reads every 500 ms (2 requests/s); instances are spread over 5 ticks of 100 ms. */
const PERIOD_MS = 500;
const TICK_MS = 100;

type Strategy = 'naive' | 'cockatiel' | 'budget' | 'budget+breaker';

interface Counters {
  appDuringOutage: number;
  hitsDuringOutage: number;
  // Split at each instance's first breaker opening in the outage (Brownout with breaker, cockatiel).
  appBeforeOpen: number;
  hitsBeforeOpen: number;
  appAfterOpen: number;
  hitsAfterOpen: number;
  /** Attempts that reached the dependency in each half-open period (one entry per period). */
  probesPerPeriod: number[];
  /** Attempts that reached the dependency while a breaker was open (must be 0). */
  hitsWhileOpen: number;
  /** Per instance: first success after recovery − recovery time. */
  recoveryMs: number[];
}

interface Summary {
  readonly ratio: number;
  readonly beforeOpenRatio: number;
  readonly afterOpenRatio: number;
  readonly probesPerOpenPeriod: number;
  readonly probesMin: number;
  readonly probesMax: number;
  readonly hitsWhileOpen: number;
  readonly recoveryMeanMs: number;
  readonly recoveryP95Ms: number;
}

interface Instance {
  state: 'closed' | 'open' | 'half-open';
  openedInOutage: number | undefined;
  probes: number;
  recoveredAt: number | undefined;
}

const down = (clock: SimClock): boolean => clock.now() >= DOWN_AT && clock.now() < UP_AT;

/**
 * One scenario: `clients` instances on one virtual clock. `send` makes one app request for instance i
 * through the strategy under test, calling `hit` (the dependency) as it goes; it resolves true on success.
 */
async function scenario(
  clients: number,
  strategy: Strategy,
  seed: number,
): Promise<{ counters: Counters; appTotal: number; hitsTotal: number }> {
  const clock = createSimClock(0);
  const c: Counters = {
    appDuringOutage: 0,
    hitsDuringOutage: 0,
    appBeforeOpen: 0,
    hitsBeforeOpen: 0,
    appAfterOpen: 0,
    hitsAfterOpen: 0,
    probesPerPeriod: [],
    hitsWhileOpen: 0,
    recoveryMs: [],
  };
  let appTotal = 0;
  let hitsTotal = 0;
  const instances: Instance[] = Array.from({ length: clients }, () => ({
    state: 'closed',
    openedInOutage: undefined,
    probes: 0,
    recoveredAt: undefined,
  }));

  const hit = (i: number): Response => {
    const inst = instances[i]!;
    hitsTotal++;
    if (inst.state === 'half-open') inst.probes++;
    if (inst.state === 'open') c.hitsWhileOpen++;
    if (down(clock)) {
      c.hitsDuringOutage++;
      if (inst.openedInOutage === undefined) c.hitsBeforeOpen++;
      else c.hitsAfterOpen++;
      return new Response(null, { status: 503 });
    }
    return new Response(null, { status: 200 });
  };
  const transition = (i: number, to: Instance['state']): void => {
    const inst = instances[i]!;
    if (inst.state === 'half-open') c.probesPerPeriod.push(inst.probes);
    if (to === 'half-open') inst.probes = 0;
    if (to === 'open' && down(clock) && inst.openedInOutage === undefined) inst.openedInOutage = clock.now();
    inst.state = to;
  };

  let send: (i: number) => Promise<boolean>;
  const disposers: (() => void)[] = [];
  let restoreGlobals = (): void => {};

  if (strategy === 'naive') {
    // 1 try + 3 immediate retries, as in a hand-written loop.
    send = async (i) => {
      for (let attempt = 0; attempt < 4; attempt++) {
        if ((await Promise.resolve(hit(i))).ok) return true;
      }
      return false;
    };
  } else if (strategy === 'cockatiel') {
    // cockatiel reads Date.now() and setTimeout directly (no injectable clock), so for this scenario the
    // globals are pointed at the virtual clock and put back afterwards.
    const saved = { now: Date.now, setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
    Date.now = () => clock.now();
    (globalThis as any).setTimeout = (fn: () => void, ms: number) => {
      const id = clock.setTimeout(fn, ms) as number;
      return { id, unref: () => {}, ref: () => {}, [Symbol.toPrimitive]: () => id };
    };
    (globalThis as any).clearTimeout = (h: { id?: number } | undefined) => clock.clearTimeout(h?.id);
    restoreGlobals = () => {
      Date.now = saved.now;
      globalThis.setTimeout = saved.setTimeout;
      globalThis.clearTimeout = saved.clearTimeout;
    };
    const policies = instances.map((_, i) => {
      const breaker = circuitBreaker(handleAll, {
        halfOpenAfter: 30_000,
        breaker: new ConsecutiveBreaker(5),
      });
      breaker.onBreak(() => transition(i, 'open'));
      breaker.onHalfOpen(() => transition(i, 'half-open'));
      breaker.onReset(() => transition(i, 'closed'));
      // cockatiel's documented composition: retry around the breaker; 1 try + 2 retries like Brownout's default.
      return wrap(retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }), breaker);
    });
    send = async (i) => {
      try {
        await policies[i]!.execute(async () => {
          const r = hit(i);
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          return r;
        });
        return true;
      } catch {
        return false;
      }
    };
  } else {
    const breakerOff = {
      consecutiveFailures: Number.POSITIVE_INFINITY,
      failureRate: Number.POSITIVE_INFINITY,
    };
    const dep: DependencyOptions = {
      reads: 'none',
      ...(strategy === 'budget' ? { breaker: breakerOff } : {}),
    };
    const made = instances.map((_, i) => {
      const client = createCoreClient({
        clock,
        random: createSeededRandom(seed * 7_919 + i),
        fetch: (async () => hit(i)) as typeof fetch,
        dependencies: { api: dep },
      });
      client.on('breaker', (e) => transition(i, e.to.state));
      disposers.push(() => client.dispose());
      return client;
    });
    send = (i) =>
      made[i]!.fetch('api', 'https://api.test/items').then(
        () => true,
        () => false,
      );
  }

  const pending = new Set<Promise<void>>();
  const issue = (i: number): void => {
    const inst = instances[i]!;
    appTotal++;
    if (down(clock)) {
      c.appDuringOutage++;
      if (inst.openedInOutage === undefined) c.appBeforeOpen++;
      else c.appAfterOpen++;
    }
    const p = send(i).then((ok) => {
      if (ok && clock.now() >= UP_AT && inst.recoveredAt === undefined) {
        inst.recoveredAt = clock.now();
        c.recoveryMs.push(clock.now() - UP_AT);
      }
      pending.delete(p);
    });
    pending.add(p);
  };
  const slots = PERIOD_MS / TICK_MS;
  let tickNo = 0;
  const driver = (): void => {
    const slot = tickNo++ % slots;
    for (let i = slot; i < clients; i += slots) issue(i);
    if (clock.now() + TICK_MS < END) clock.setTimeout(driver, TICK_MS);
  };
  clock.setTimeout(driver, 0);
  try {
    await clock.runUntil(END);
    // Calls still in flight at the end finish on their own timers (deadlines, sleeps).
    await clock.runUntil(END + 20_000);
    await Promise.all([...pending]);
  } finally {
    restoreGlobals();
    for (const d of disposers) d();
  }
  for (const inst of instances) if (inst.state === 'half-open') c.probesPerPeriod.push(inst.probes);
  return { counters: c, appTotal, hitsTotal };
}

/** Leaf calls for one app request through a 5-deep chain of services, each with its own client. */
async function chain(retryEveryLayer: boolean): Promise<number> {
  const clock = createSimClock(0);
  let leafCalls = 0;
  const depth = 5;
  // The leaf dependency is down.
  let next: () => Promise<Response> = async () => {
    leafCalls++;
    return new Response(null, { status: 503 });
  };
  const clients = [];
  for (let layer = depth; layer >= 1; layer--) {
    const inner = next;
    const client = createCoreClient({
      clock,
      random: createSeededRandom(layer),
      fetch: inner as typeof fetch,
      // Budget and breaker out of the way: this isolates where retries happen.
      retryBudget: { ratio: 1, minPerSecond: 1e9 },
      dependencies: {
        down: {
          reads: 'none',
          retry: { maxAttempts: retryEveryLayer || layer === 1 ? 4 : 1 },
          timeouts: { totalMs: 600_000, headersMs: 600_000 },
          breaker: { consecutiveFailures: Number.POSITIVE_INFINITY, failureRate: Number.POSITIVE_INFINITY },
        },
      },
    });
    clients.push(client);
    // A failed call becomes a 503 to the layer above, as a service would answer.
    next = () => client.fetch('down', 'https://svc.test/x').catch(() => new Response(null, { status: 503 }));
  }
  const done = next();
  await clock.runAll();
  await done;
  for (const client of clients) client.dispose();
  return leafCalls;
}

async function naiveChain(): Promise<number> {
  let leafCalls = 0;
  const layer = async (level: number): Promise<boolean> => {
    for (let attempt = 0; attempt < 4; attempt++) {
      if (level === 5) leafCalls++;
      else if (await layer(level + 1)) return true;
    }
    return false;
  };
  await layer(1);
  return leafCalls;
}

export async function run({ quick }: SectionOptions): Promise<SectionResult> {
  const sizes = quick ? [100] : [100, 1_000];
  const strategies: { key: Strategy; label: string }[] = [
    { key: 'naive', label: 'naive loop, 3 immediate retries' },
    { key: 'cockatiel', label: 'cockatiel wrap(retry ×2, breaker 5 consecutive / 30 s)' },
    { key: 'budget', label: 'Brownout, retry budget only (breaker off)' },
    { key: 'budget+breaker', label: 'Brownout defaults (budget + breaker)' },
  ];
  const rows: (string | number)[][] = [];
  const json: Record<string, unknown> = {};
  const checks: Check[] = [];
  const byM: Record<number, Partial<Record<Strategy, Summary>>> = {};
  for (const m of sizes) {
    byM[m] = {};
    for (const s of strategies) {
      const { counters: c } = await scenario(m, s.key, m);
      const ratio = c.hitsDuringOutage / c.appDuringOutage;
      const before = c.appBeforeOpen ? c.hitsBeforeOpen / c.appBeforeOpen : Number.NaN;
      const after = c.appAfterOpen ? c.hitsAfterOpen / c.appAfterOpen : Number.NaN;
      const periods = c.probesPerPeriod.length;
      const probes = periods ? mean(c.probesPerPeriod) : Number.NaN;
      const minP = periods ? Math.min(...c.probesPerPeriod) : Number.NaN;
      const maxP = periods ? Math.max(...c.probesPerPeriod) : Number.NaN;
      rows.push([
        m,
        s.label,
        c.appDuringOutage,
        c.hitsDuringOutage,
        fmt(ratio),
        fmt(before),
        fmt(after, 3),
        periods ? `${fmt(probes)} (${minP}–${maxP}, ${periods} periods)` : '—',
        `${fmt(mean(c.recoveryMs), 0)} / ${fmt(quantile(c.recoveryMs, 0.95), 0)}`,
      ]);
      byM[m]![s.key] = {
        ratio,
        beforeOpenRatio: before,
        afterOpenRatio: after,
        probesPerOpenPeriod: probes,
        probesMin: minP,
        probesMax: maxP,
        hitsWhileOpen: c.hitsWhileOpen,
        recoveryMeanMs: mean(c.recoveryMs),
        recoveryP95Ms: quantile(c.recoveryMs, 0.95),
      };
    }
  }
  const at100 = byM[100]!;
  const bb = at100['budget+breaker']!;
  json.naiveRatio = at100.naive!.ratio;
  json.cockatielRatio = at100.cockatiel!.ratio;
  json.brownoutBudgetOnlyRatio = at100.budget!.ratio;
  json.brownoutRatio = bb.ratio;
  json.brownoutBeforeOpenRatio = bb.beforeOpenRatio;
  json.brownoutAfterOpenRatio = bb.afterOpenRatio;
  json.probesPerOpenPeriod = bb.probesPerOpenPeriod;
  json.recoveryMeanMs = bb.recoveryMeanMs;
  json.byClients = byM;

  const naiveChainCalls = await naiveChain();
  const everyLayer = await chain(true);
  const oneLayer = await chain(false);
  json.chain = {
    naiveLeafCalls: naiveChainCalls,
    brownoutEveryLayer: everyLayer,
    brownoutOneLayer: oneLayer,
  };

  for (const m of sizes) {
    const r = byM[m]!['budget+breaker']!;
    checks.push({
      name: `outage M=${m}: one probe per client per open period`,
      ok: r.probesMin === 1 && r.probesMax === 1,
      detail: `probes per period ${r.probesMin}–${r.probesMax}`,
    });
    checks.push({
      name: `outage M=${m}: no request reaches the dependency while a breaker is open`,
      ok: r.hitsWhileOpen === 0,
      detail: `${r.hitsWhileOpen}`,
    });
    checks.push({
      name: `outage M=${m}: Brownout after the breaker opens ≤ 0.05 requests per app request`,
      ok: r.afterOpenRatio <= 0.05,
      detail: fmt(r.afterOpenRatio, 3),
    });
    const b = byM[m]!.budget!.ratio;
    checks.push({
      name: `outage M=${m}: Brownout budget only ≤ 1.7 (expected 1 + 0.1 + 1/s floor ÷ 2/s = 1.6)`,
      ok: b <= 1.7,
      detail: fmt(b),
    });
  }
  checks.push({
    name: 'call chain: Brownout retrying at one layer makes 4 leaf calls',
    ok: oneLayer === 4,
    detail: `${oneLayer}`,
  });

  const markdown = [
    `## 6. Outage load (each instance reads every ${PERIOD_MS} ms; dependency down ${OUTAGE_MS / 1000} s, then up)`,
    '',
    table(
      [
        'M',
        'client',
        'app requests in outage',
        'dependency requests',
        'per app request',
        'before breaker opens',
        'after it opens',
        'probes per open period (min–max)',
        'recovery → first success, ms (mean / p95)',
      ],
      rows,
    ),
    '',
    "\"Before/after it opens\" splits each instance's outage at its own breaker's first opening. Brownout's",
    'budget keeps a floor of `minPerSecond` (1) × `windowMs` (10 s) retries per instance, so at 2 requests/s',
    'the budget-only ratio is about 1 + 0.1 + 1 ÷ 2 = 1.6; the floor also lets the first failures of an',
    'outage retry in full, which is why "before it opens" is ≈ 2.5 (the breaker needs 5 failures: 2–3 app',
    "requests). Recovery time is bounded by the breaker's 30 s open period: an instance learns of the",
    'recovery at its next probe.',
    '',
    '5-deep call chain, one app request, leaf dependency down (1 try + 3 retries where retries happen):',
    '',
    table(
      ['chain', 'leaf calls'],
      [
        ['naive: retries at every layer', naiveChainCalls],
        ['Brownout client at every layer, maxAttempts 4 each (budget off)', everyLayer],
        ['Brownout retrying at the edge only (inner layers maxAttempts 1)', oneLayer],
      ],
    ),
  ].join('\n');
  return { markdown, json, checks };
}
