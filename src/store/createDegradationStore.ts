import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  BrownoutClient,
  DegradedReason,
  DependencyStatus,
  FallbackEvent,
  FreshEvent,
} from '../core/index.js';
import { checkKeys, checkNumber } from '../core/options.js';
import type { Outbox, OutboxSummary } from '../outbox/index.js';
import { createFreshnessKeeper, type FreshnessKeeper } from './freshness.js';
import {
  type DegradationLevel,
  dependencyLevel,
  type Health,
  LEVEL_ORDER,
  overallLevel,
  worstLevel,
} from './levels.js';

/** One dependency as the UI sees it. */
export interface DependencyState {
  readonly name: string;
  readonly criticality: 'critical' | 'core' | 'optional';
  readonly health: Health;
  readonly degradedBecause: readonly DegradedReason[];
  readonly breaker: 'closed' | 'open' | 'half-open';
  /** Since when the breaker is in its state (epoch ms; when the store first saw it, for `closed`). */
  readonly breakerSince: number;
  /** When calls may go out again (epoch ms), while it is down. */
  readonly retryAt?: number;
  /** The status (429, 503) whose `Retry-After` holds its calls, while one does: the service asked us to wait. */
  readonly heldBy?: number;
  /** True while a call to it has waited longer than its `timeouts.slowMs`: "taking longer than usual". */
  readonly slow: boolean;
  /** Its degradation level (a recovery shows after `settleMs`, at once by default). */
  readonly level: DegradationLevel;
  /** Refreshed at most every `statsIntervalMs`. */
  readonly lastSuccessAt?: number;
  /** The last failure as problem details JSON. */
  readonly lastError?: Readonly<Record<string, unknown>>;
  /** p95 time to headers over the breaker window, in ms; refreshed at most every `statsIntervalMs`. */
  readonly p95Ms: number;
  /** Share of failed calls over the breaker window; refreshed at most every `statsIntervalMs`. */
  readonly errorRate: number;
}

/** Where the value on screen for a data key came from. */
export interface FreshnessState {
  readonly key: string;
  readonly dependency: string;
  readonly source: 'network' | 'cache';
  /** When the value was fetched from the network (epoch ms). */
  readonly fetchedAt: number;
  /** From this time on (epoch ms) the value is older than `maxStaleMs` and is no longer shown. */
  readonly staleAt: number;
}

/**
 * Per dependency, the values of it the page has (summed up as freshness changes, so that nothing scans every
 * key): the one to warn about, and the newest fresh one.
 */
export interface DependencyFreshness {
  /** Its oldest value shown from the cache (the first such key on a tie). */
  readonly oldestCached?: FreshnessState;
  /** Its newest value from the network (the first such key on a tie). */
  readonly newestFresh?: FreshnessState;
}

/** A change of a dependency's health or level, for the operator's panel. */
export interface DependencyTransition {
  readonly at: number;
  readonly dependency: string;
  readonly from: { readonly health: Health; readonly level: DegradationLevel };
  readonly to: { readonly health: Health; readonly level: DegradationLevel };
}

/** How many transitions the store keeps (the newest last). */
export const TRANSITIONS_KEPT = 20;

/** Everything the UI needs to tell the truth about an outage. */
export interface DegradationState {
  /** The app-wide level: the most severe of its dependencies'. */
  readonly level: DegradationLevel;
  /**
   * False while the device is offline: failures are the user's connection, not the dependencies' (their
   * breakers do not count them), and the kit says so.
   */
  readonly online: boolean;
  readonly dependencies: Readonly<Record<string, DependencyState>>;
  /**
   * Per data key, written when a value's source changes (network ↔ cache). At most `maxFreshness` keys (the
   * least recently updated goes first); a key is dropped once it is `maxStaleMs` past its `staleAt`.
   */
  readonly freshness: Readonly<Record<string, FreshnessState>>;
  /** Per dependency with a key in `freshness`, its oldest cached and newest fresh value. */
  readonly freshnessOf: Readonly<Record<string, DependencyFreshness>>;
  /** Queued writes: where they are kept (`none` without a queue dependency), and per dependency. */
  readonly outbox: {
    readonly persistence: 'indexeddb' | 'memory' | 'none';
    readonly dependencies: Readonly<Record<string, OutboxSummary>>;
  };
  /** The last {@link TRANSITIONS_KEPT} changes of a dependency's health or level, oldest first. */
  readonly transitions: readonly DependencyTransition[];
}

/** Options of {@link createDegradationStore}. */
export interface DegradationStoreOptions {
  /**
   * How long a dependency must stay recovered before its level returns to normal, in ms. The kit's live
   * region waits on its own before it says a recovery, so the screen can follow the truth at once.
   * @default 0
   */
  settleMs?: number;
  /**
   * The least time between two refreshes of latency, error rate and last success, in ms: a healthy
   * dependency under load does not change the store on every request.
   * @default 5_000
   */
  statsIntervalMs?: number;
  /**
   * The most data keys `freshness` keeps: past it, the key updated least recently is dropped (an app that
   * reads many distinct URLs does not grow the store, nor the cost of a call, without bound).
   * @default 500
   */
  maxFreshness?: number;
}

/** The default of `store.maxFreshness`. */
export const MAX_FRESHNESS = 500;

const STORE_OPTIONS = ['settleMs', 'statsIntervalMs', 'maxFreshness'] as const;

/** The store of a client, with its own teardown. */
export interface DegradationStore extends StoreApi<DegradationState> {
  /** Unsubscribes from the client and stops the settle timers. */
  dispose(): void;
}

/**
 * True when `a` and `b` are the same value, or objects with the same keys whose values are the same
 * (arrays compared by their items): the store's test for "nothing a component shows changed", and an
 * `isEqual` for `useBrownoutSelector` selectors that build an object.
 * @example
 * shallowEqual({ level: 'cached', culprits: ['pricing'] }, { level: 'cached', culprits: ['pricing'] }) // true
 */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const va = (a as Record<string, unknown>)[k];
    const vb = (b as Record<string, unknown>)[k];
    if (!Object.is(va, vb) && !(Array.isArray(va) && Array.isArray(vb) && va.join() === vb.join()))
      return false;
  }
  return true;
}

/** What the store's reducers share: the client, its outbox, the options and the store's bookkeeping. */
interface StoreRuntime {
  readonly client: BrownoutClient;
  readonly outbox: Outbox | undefined;
  readonly settleMs: number;
  readonly statsIntervalMs: number;
  /** When each dependency's rates were last refreshed (epoch ms). */
  readonly statsAt: Map<string, number>;
  /** The running settle timer of each dependency whose recovery waits to show. */
  readonly settleTimers: Map<string, unknown>;
  // The dependencies the page has had a value of (a freshness entry): kept as freshness changes, so that a
  // refresh on every request does not scan them. A key dropped later (the cap, its age) does not undo it.
  readonly withData: Set<string>;
  readonly keeper: FreshnessKeeper;
  /** Re-reads one dependency into the store (`settled`: its settle timer fired). */
  readonly refresh: (name: string, settled?: boolean) => void;
}

/** The checked `settleMs`, `statsIntervalMs` and `maxFreshness` of the store's options, defaults applied. */
function readStoreOptions(options: DegradationStoreOptions): {
  settleMs: number;
  statsIntervalMs: number;
  maxFreshness: number;
} {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createClient: option "store" must be an options object, got ${String(options)}.`);
  }
  checkKeys(options, undefined, 'store.', STORE_OPTIONS);
  const number = (key: (typeof STORE_OPTIONS)[number], fallback: number, rule = {}): number =>
    options[key] === undefined ? fallback : checkNumber(options[key], undefined, `store.${key}`, rule);
  return {
    settleMs: number('settleMs', 0, { finite: true }),
    statsIntervalMs: number('statsIntervalMs', 5_000),
    maxFreshness: number('maxFreshness', MAX_FRESHNESS, { min: 1, integer: true }),
  };
}

/** The level a dependency's health, data and queued writes call for, before any settling. */
function computedLevel(rt: StoreRuntime, name: string, health: Health): DegradationLevel {
  const policy = rt.client.policy(name);
  const pending = rt.outbox ? rt.outbox.summary(name) : undefined;
  // While its writes wait in the outbox, a queue dependency is `minimal` even when it looks up again.
  const waiting =
    policy.writes === 'queue' &&
    pending !== undefined &&
    pending.queued + pending.sending + pending.needsAuth > 0;
  // `cached` needs something to show: a value of it that the page has had (from the network or the cache).
  // With none, a cached-reads dependency that is down has nothing to fall back on.
  const hasData = rt.withData.has(name);
  return worstLevel(dependencyLevel(policy, health, hasData), waiting ? 'minimal' : 'normal');
}

/** The level to show: `computed`, or the one shown before while a recovery waits out `settleMs`. */
function settledLevel(
  rt: StoreRuntime,
  name: string,
  computed: DegradationLevel,
  previous: DependencyState | undefined,
): DegradationLevel {
  const { clock } = rt.client;
  const before = previous?.level ?? 'normal';
  if (rt.settleMs > 0 && LEVEL_ORDER.indexOf(computed) < LEVEL_ORDER.indexOf(before)) {
    // Better than what is shown: wait until it has stayed better for settleMs.
    if (!rt.settleTimers.has(name)) {
      rt.settleTimers.set(
        name,
        clock.setTimeout(() => {
          rt.settleTimers.delete(name);
          rt.refresh(name, true);
        }, rt.settleMs),
      );
    }
    return before;
  }
  if (rt.settleTimers.has(name)) {
    clock.clearTimeout(rt.settleTimers.get(name));
    rt.settleTimers.delete(name);
  }
  return computed;
}

/** Since when the breaker is in its state: its own time when open or half-open, else when first seen closed. */
function breakerSinceOf(
  breaker: DependencyStatus['breaker'],
  previous: DependencyState | undefined,
  now: number,
): number {
  if (breaker.state === 'open') return breaker.openedAt;
  if (breaker.state === 'half-open') return breaker.since;
  return previous?.breaker === 'closed' ? previous.breakerSince : now;
}

/** One dependency's state, read from the client (its rates kept from `previous` until they are due). */
function buildDependency(
  rt: StoreRuntime,
  name: string,
  previous: DependencyState | undefined,
): DependencyState {
  const status: DependencyStatus = rt.client.status(name);
  const now = rt.client.clock.now();
  const level = settledLevel(rt, name, computedLevel(rt, name, status.health), previous);
  // Rates are refreshed at most every interval (they move on every request), and whenever the health or
  // the breaker changes: a panel never shows "0 % errors" beside "open".
  const statsDue =
    !previous ||
    previous.health !== status.health ||
    previous.breaker !== status.breaker.state ||
    now - (rt.statsAt.get(name) ?? Number.NEGATIVE_INFINITY) >= rt.statsIntervalMs;
  if (statsDue) rt.statsAt.set(name, now);
  const keep = previous && !statsDue;
  const lastSuccessAt = keep ? previous.lastSuccessAt : status.lastSuccessAt;
  return {
    name,
    criticality: rt.client.policy(name).criticality,
    health: status.health,
    degradedBecause: status.degradedBecause,
    breaker: status.breaker.state,
    breakerSince: breakerSinceOf(status.breaker, previous, now),
    ...(status.retryAt === undefined ? {} : { retryAt: status.retryAt }),
    ...(status.heldBy === undefined ? {} : { heldBy: status.heldBy }),
    slow: status.slow,
    level,
    ...(lastSuccessAt === undefined ? {} : { lastSuccessAt }),
    ...(status.lastError === undefined ? {} : { lastError: status.lastError }),
    p95Ms: keep ? previous.p95Ms : Math.round(status.p95Ms),
    errorRate: keep ? previous.errorRate : Math.round((1 - status.successRate) * 1000) / 1000,
  };
}

/** The store's `outbox`: where queued writes are kept, and the summary of each queue dependency. */
function outboxStateOf(client: BrownoutClient, outbox: Outbox | undefined): DegradationState['outbox'] {
  const dependencies: Record<string, OutboxSummary> = {};
  if (outbox) {
    for (const name of client.dependencies) {
      if (client.policy(name).writes === 'queue') dependencies[name] = outbox.summary(name);
    }
  }
  return { persistence: outbox ? outbox.persistence : 'none', dependencies };
}

/** Rebuilds one dependency and publishes it (with the app level and a transition) when it changed. */
function refreshDependency(
  rt: StoreRuntime,
  store: StoreApi<DegradationState>,
  name: string,
  settled: boolean,
): void {
  const state = store.getState();
  const previous = state.dependencies[name];
  // A settle timer that fired: compare against normal so the improvement goes through.
  const next = buildDependency(rt, name, settled && previous ? { ...previous, level: 'normal' } : previous);
  if (previous && shallowEqual(previous, next)) return;
  const dependencies = { ...state.dependencies, [name]: next };
  const level = overallLevel(Object.values(dependencies).map((d) => d.level));
  const moved = previous && (previous.health !== next.health || previous.level !== next.level);
  const transition: DependencyTransition | undefined = moved
    ? {
        at: rt.client.clock.now(),
        dependency: name,
        from: { health: previous.health, level: previous.level },
        to: { health: next.health, level: next.level },
      }
    : undefined;
  store.setState({
    dependencies,
    level,
    ...(transition && { transitions: [...state.transitions, transition].slice(-TRANSITIONS_KEPT) }),
  });
}

/**
 * Writes the freshness of `key` that `decide` returns from the current one (none: nothing changed, the key
 * was only used). O(1) but for the one copy of the published record (at most `maxFreshness` keys) when
 * something changed; nothing is published otherwise.
 */
function writeFreshness(
  rt: StoreRuntime,
  store: StoreApi<DegradationState>,
  key: string,
  decide: (current: FreshnessState | undefined) => FreshnessState | undefined,
): void {
  const { keeper } = rt;
  const state = store.getState();
  // Set from outside (a test, a devtool): start again from it.
  const external = state.freshness !== keeper.freshness;
  if (external) keeper.reset(state.freshness);
  const current = keeper.get(key);
  const entry = decide(current);
  const now = rt.client.clock.now();
  let changed = external;
  if (entry && !(current && shallowEqual(current, entry))) {
    keeper.put(entry, now);
    changed = true;
  } else if (keeper.touch(key, now)) changed = true;
  if (!changed) return;
  store.setState({ freshness: keeper.freshness, freshnessOf: keeper.freshnessOf });
  // A first value of a dependency can change its level (down with nothing to show → with something).
  for (const d of Object.keys(keeper.freshnessOf)) {
    if (rt.withData.has(d)) continue;
    rt.withData.add(d);
    rt.refresh(d);
  }
}

/** Publishes the outbox's summaries when they changed, and refreshes each queue dependency's level. */
function onOutboxChanged(rt: StoreRuntime, store: StoreApi<DegradationState>): void {
  const previous = store.getState().outbox;
  const next = outboxStateOf(rt.client, rt.outbox);
  const same =
    previous.persistence === next.persistence &&
    Object.keys(next.dependencies).every((d) =>
      shallowEqual(previous.dependencies[d] ?? {}, next.dependencies[d]!),
    );
  if (!same) store.setState({ outbox: next });
  for (const d of Object.keys(next.dependencies)) rt.refresh(d);
}

/** The freshness a fallback to the cache writes (none when the key already shows that cached value). */
function cachedFreshness(
  client: BrownoutClient,
  e: FallbackEvent,
  current: FreshnessState | undefined,
): FreshnessState | undefined {
  return current?.source === 'cache' && current.fetchedAt === e.fetchedAt
    ? undefined
    : {
        key: e.key,
        dependency: e.dependency,
        source: 'cache',
        fetchedAt: e.fetchedAt,
        staleAt: e.fetchedAt + client.policy(e.dependency).maxStaleMs,
      };
}

/** The freshness a value from the network writes (none while it is fresh and written recently). */
function networkFreshness(
  rt: StoreRuntime,
  { dependency, freshness }: FreshEvent,
  current: FreshnessState | undefined,
): FreshnessState | undefined {
  // Written on a change of source, and at most every statsIntervalMs while fresh (so "updated 2
  // minutes ago" stays true without a store change per request).
  return current?.source === 'network' && freshness.fetchedAt - current.fetchedAt < rt.statsIntervalMs
    ? undefined
    : { ...freshness, dependency, staleAt: freshness.fetchedAt + rt.client.policy(dependency).maxStaleMs };
}

/** Feeds the store from the client's and the outbox's events; returns their unsubscribes. */
function listen(rt: StoreRuntime, store: StoreApi<DegradationState>): (() => void)[] {
  const { client, outbox, refresh } = rt;
  return [
    ...(outbox ? [outbox.events.on('changed', () => onOutboxChanged(rt, store))] : []),
    client.on('breaker', (e) => refresh(e.dependency)),
    client.on('slow', (e) => refresh(e.dependency)),
    client.on('connectivity', ({ online }) => {
      if (store.getState().online !== online) store.setState({ online });
    }),
    client.on('success', (e) => refresh(e.dependency)),
    client.on('give-up', (e) => refresh(e.dependency)),
    client.on('retry', (e) => refresh(e.dependency)),
    client.on('hold', (e) => refresh(e.dependency)),
    // A hold that ran out: the dependency is no longer down for it (the next call or probe tells the rest).
    client.on('hold-end', (e) => refresh(e.dependency)),
    client.on('fallback', (e) => {
      writeFreshness(rt, store, e.key, (current) => cachedFreshness(client, e, current));
      refresh(e.dependency);
    }),
    client.on('fresh', (e) => {
      writeFreshness(rt, store, e.freshness.key, (current) => networkFreshness(rt, e, current));
    }),
  ];
}

/**
 * A zustand vanilla store fed by a client's events: per dependency its health, breaker, level, last
 * success and error; per data key its freshness; and the app-wide level. It changes only when something
 * a component shows changes.
 * @example
 * const store = createDegradationStore(client);
 * store.subscribe((s) => console.log(s.level));
 */
export function createDegradationStore(
  client: BrownoutClient,
  options: DegradationStoreOptions = {},
  outbox?: Outbox,
): DegradationStore {
  const { settleMs, statsIntervalMs, maxFreshness } = readStoreOptions(options);
  const { clock } = client;
  const maxStaleMs = new Map(client.dependencies.map((n) => [n as string, client.policy(n).maxStaleMs]));
  const rt: StoreRuntime = {
    client,
    outbox,
    settleMs,
    statsIntervalMs,
    statsAt: new Map(),
    settleTimers: new Map(),
    withData: new Set(),
    // An entry is kept until it is its dependency's maxStaleMs past its staleAt (twice as old as can be shown).
    keeper: createFreshnessKeeper(
      maxFreshness,
      (f, now) => now >= f.staleAt + (maxStaleMs.get(f.dependency) ?? f.staleAt - f.fetchedAt),
    ),
    refresh: (name, settled = false) => refreshDependency(rt, store, name, settled),
  };
  const initial: Record<string, DependencyState> = {};
  for (const name of client.dependencies) initial[name] = buildDependency(rt, name, undefined);
  const store = createStore<DegradationState>()(() => ({
    level: overallLevel(Object.values(initial).map((d) => d.level)),
    online: client.environment.online(),
    dependencies: initial,
    freshness: rt.keeper.freshness,
    freshnessOf: rt.keeper.freshnessOf,
    outbox: outboxStateOf(client, outbox),
    transitions: [],
  }));
  writers.set(store.setState, (entry) => writeFreshness(rt, store, entry.key, () => entry));
  const offs = listen(rt, store);

  return {
    ...store,
    dispose() {
      for (const off of offs) off();
      for (const timer of rt.settleTimers.values()) clock.clearTimeout(timer);
      rt.settleTimers.clear();
    },
  };
}

/** The app-wide level, for `store.getState()` or a hook. */
export const selectLevel = (state: DegradationState): DegradationLevel => state.level;

/** One dependency's state. */
export const selectDependency =
  (name: string) =>
  (state: DegradationState): DependencyState | undefined =>
    state.dependencies[name];

/** The level of a feature that uses only `names` (a page that needs `reviews` and `pricing`). */
export const selectLevelOf =
  (names: readonly string[]) =>
  (state: DegradationState): DegradationLevel =>
    overallLevel(names.map((n) => state.dependencies[n]?.level ?? 'normal'));

/** The freshness of one data key. */
export const selectFreshness =
  (key: string) =>
  (state: DegradationState): FreshnessState | undefined =>
    state.freshness[key];

/** True when `freshness` is past its dependency's `maxStaleMs` at `now`. */
export const isPastMaxStale = (freshness: FreshnessState, now: number): boolean => now >= freshness.staleAt;

/**
 * Calls `listener` only when `selector`'s value changes (`Object.is`): a component of one dependency is not
 * woken by another. Returns the unsubscribe.
 * @example
 * const off = watch(store, selectDependency('pricing'), (pricing) => render(pricing));
 */
export function watch<T>(
  store: StoreApi<DegradationState>,
  selector: (state: DegradationState) => T,
  listener: (value: T, previous: T) => void,
): () => void {
  let current = selector(store.getState());
  return store.subscribe((state) => {
    const next = selector(state);
    if (Object.is(next, current)) return;
    const previous = current;
    current = next;
    listener(next, previous);
  });
}

/** The freshness writers of the stores made here, by their `setState` (shared by copies of the store). */
const writers = new WeakMap<object, (entry: FreshnessState) => void>();

/**
 * Writes one key's freshness, only when it changed (for adapters such as `brownout/query`): through the
 * store's bounded freshness (`maxFreshness`, O(1) per call) for a store made by `createDegradationStore`.
 */
export function recordFreshness(store: StoreApi<DegradationState>, entry: FreshnessState): void {
  const writer = writers.get(store.setState);
  if (writer) {
    writer(entry);
    return;
  }
  const current = store.getState().freshness[entry.key];
  if (current && shallowEqual(current, entry)) return;
  store.setState({ freshness: { ...store.getState().freshness, [entry.key]: entry } });
}
