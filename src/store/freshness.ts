import type { DependencyFreshness, FreshnessState } from './createDegradationStore.js';

/**
 * The store's freshness, bounded and cheap per call: the authoritative entries live in a Map (least recently
 * updated first), the published record and per-dependency summary are new objects only when they change, and
 * each dependency's oldest cached and newest fresh value is kept as values come and go, not found by a scan.
 */
export interface FreshnessKeeper {
  /** The published record: a new object after each change, the same one otherwise. */
  readonly freshness: Readonly<Record<string, FreshnessState>>;
  /** The published summary per dependency: a new object only when one dependency's summary changed. */
  readonly freshnessOf: Readonly<Record<string, DependencyFreshness>>;
  get(key: string): FreshnessState | undefined;
  /**
   * Writes `entry` (it becomes the most recently updated), drops entries too old at the head of the order,
   * then the least recently updated ones over the cap. The published record is copied once.
   */
  put(entry: FreshnessState, now: number): void;
  /** Marks `key` as used (kept longer under the cap), or drops it when too old: true when it was dropped. */
  touch(key: string, now: number): boolean;
  /** Starts again from a record set from outside the keeper (a `setState` of `freshness`). */
  reset(record: Readonly<Record<string, FreshnessState>>): void;
}

interface Kept {
  readonly entry: FreshnessState;
}
interface Extremes {
  cache?: FreshnessState;
  network?: FreshnessState;
}

/** Whether `f` is the one to show of its source over `than`: the oldest cached, the newest fresh. */
const beats = (f: FreshnessState, than: FreshnessState): boolean =>
  f.source === 'cache' ? f.fetchedAt < than.fetchedAt : f.fetchedAt > than.fetchedAt;

/** Entries looked at for age per write (each is dropped once, so the sweep is O(1) amortised). */
const SWEEP = 8;

/** The keeper's bookkeeping, shared by the module-level steps below. */
interface KeeperState {
  // Least recently updated first (for the cap and the age sweep).
  readonly kept: Map<string, Kept>;
  // The same entries in first-write order (a Map keeps a key's place when it is set again): the published
  // record's order, as when each change spread the record.
  readonly order: Map<string, Kept>;
  // Per dependency, its oldest cached and newest fresh entry; a tie goes to the key first in the record.
  readonly extremes: Map<string, Extremes>;
  // Dependencies whose extreme was dropped or tied by a key earlier in the record: found again as the
  // record is built (it visits every key anyway, in its order).
  readonly lost: Set<string>;
  readonly changed: Set<string>;
  freshness: Record<string, FreshnessState>;
  freshnessOf: Readonly<Record<string, DependencyFreshness>>;
}

/** The extremes of `dependency`, made empty on first use. */
function extremesOf(state: KeeperState, dependency: string): Extremes {
  let e = state.extremes.get(dependency);
  if (!e) {
    e = {};
    state.extremes.set(dependency, e);
  }
  return e;
}

/** A value gone (dropped, or replaced by another of its key). */
function gone(state: KeeperState, f: FreshnessState): void {
  state.changed.add(f.dependency);
  if (extremesOf(state, f.dependency)[f.source] === f) state.lost.add(f.dependency);
}

/** A value come; `appended` when its key is new (last in the record, so it loses a tie). */
function come(state: KeeperState, f: FreshnessState, appended: boolean): void {
  state.changed.add(f.dependency);
  const e = extremesOf(state, f.dependency);
  const top = e[f.source];
  if (!top || beats(f, top)) e[f.source] = f;
  else if (!appended && f.fetchedAt === top.fetchedAt) state.lost.add(f.dependency);
}

/** Drops the entry of `key` (which is kept). */
function remove(state: KeeperState, key: string): void {
  const k = state.kept.get(key)!;
  state.kept.delete(key);
  state.order.delete(key);
  gone(state, k.entry);
}

/** Drops entries too old at the head of the order (at most {@link SWEEP} looked at), then those over `max`. */
function prune(
  state: KeeperState,
  newest: Kept,
  max: number,
  tooOld: (entry: FreshnessState, now: number) => boolean,
  now: number,
): void {
  let looked = 0;
  for (const [key, head] of state.kept) {
    if (head === newest) break;
    if (state.kept.size > max || (looked++ < SWEEP && tooOld(head.entry, now))) remove(state, key);
    else break;
  }
}

/** The new published record, built by assignment: spreading a large (dictionary-mode) object is ~25× slower. */
function publish(state: KeeperState): void {
  const { extremes, lost } = state;
  const next: Record<string, FreshnessState> = {};
  for (const d of lost) extremes.set(d, {});
  for (const [key, { entry }] of state.order) {
    next[key] = entry;
    if (lost.size > 0 && lost.has(entry.dependency)) {
      const e = extremes.get(entry.dependency)!;
      const top = e[entry.source];
      if (!top || beats(entry, top)) e[entry.source] = entry;
    }
  }
  lost.clear();
  state.freshness = next;
  publishSummary(state);
}

/** Publishes a new per-dependency summary when the extremes of a changed dependency moved. */
function publishSummary(state: KeeperState): void {
  let of: Record<string, DependencyFreshness> | undefined;
  for (const d of state.changed) {
    const { cache: oldestCached, network: newestFresh } = state.extremes.get(d)!;
    const before = state.freshnessOf[d];
    if (before?.oldestCached === oldestCached && before?.newestFresh === newestFresh) continue;
    of ??= { ...state.freshnessOf };
    if (!oldestCached && !newestFresh) delete of[d];
    else of[d] = { ...(oldestCached && { oldestCached }), ...(newestFresh && { newestFresh }) };
  }
  state.changed.clear();
  if (of) state.freshnessOf = of;
}

/**
 * @param max the most entries kept.
 * @param tooOld whether an entry is past keeping at `now` (its `staleAt` plus its dependency's `maxStaleMs`).
 */
export function createFreshnessKeeper(
  max: number,
  tooOld: (entry: FreshnessState, now: number) => boolean,
): FreshnessKeeper {
  const state: KeeperState = {
    kept: new Map(),
    order: new Map(),
    extremes: new Map(),
    lost: new Set(),
    changed: new Set(),
    freshness: {},
    freshnessOf: {},
  };
  const { kept, order } = state;

  return {
    get freshness() {
      return state.freshness;
    },
    get freshnessOf() {
      return state.freshnessOf;
    },
    get: (key) => kept.get(key)?.entry,
    put(entry, now) {
      const previous = kept.get(entry.key);
      if (previous) {
        kept.delete(entry.key);
        gone(state, previous.entry);
      }
      const k: Kept = { entry };
      kept.set(entry.key, k);
      order.set(entry.key, k);
      come(state, entry, !previous);
      prune(state, k, max, tooOld, now);
      // The one copy of the record per change (at most `max` keys).
      publish(state);
    },
    touch(key, now) {
      const k = kept.get(key);
      if (!k) return false;
      if (!tooOld(k.entry, now)) {
        kept.delete(key);
        kept.set(key, k);
        return false;
      }
      remove(state, key);
      publish(state);
      return true;
    },
    reset(record) {
      kept.clear();
      order.clear();
      state.extremes.clear();
      state.freshnessOf = {};
      for (const entry of Object.values(record)) {
        const k: Kept = { entry };
        kept.set(entry.key, k);
        order.set(entry.key, k);
        come(state, entry, true);
      }
      publish(state);
      state.freshness = record as Record<string, FreshnessState>;
    },
  };
}
