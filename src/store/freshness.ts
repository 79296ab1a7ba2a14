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

/**
 * @param max the most entries kept.
 * @param tooOld whether an entry is past keeping at `now` (its `staleAt` plus its dependency's `maxStaleMs`).
 */
export function createFreshnessKeeper(
  max: number,
  tooOld: (entry: FreshnessState, now: number) => boolean,
): FreshnessKeeper {
  // Least recently updated first (for the cap and the age sweep).
  const kept = new Map<string, Kept>();
  // The same entries in first-write order (a Map keeps a key's place when it is set again): the published
  // record's order, as when each change spread the record.
  const order = new Map<string, Kept>();
  // Per dependency, its oldest cached and newest fresh entry; a tie goes to the key first in the record.
  const extremes = new Map<string, Extremes>();
  // Dependencies whose extreme was dropped or tied by a key earlier in the record: found again as the
  // record is built (it visits every key anyway, in its order).
  const lost = new Set<string>();
  const changed = new Set<string>();
  let freshness: Record<string, FreshnessState> = {};
  let freshnessOf: Readonly<Record<string, DependencyFreshness>> = {};

  const extremesOf = (dependency: string): Extremes => {
    let e = extremes.get(dependency);
    if (!e) {
      e = {};
      extremes.set(dependency, e);
    }
    return e;
  };
  /** A value gone (dropped, or replaced by another of its key). */
  const gone = (f: FreshnessState): void => {
    changed.add(f.dependency);
    if (extremesOf(f.dependency)[f.source] === f) lost.add(f.dependency);
  };
  /** A value come; `appended` when its key is new (last in the record, so it loses a tie). */
  const come = (f: FreshnessState, appended: boolean): void => {
    changed.add(f.dependency);
    const e = extremesOf(f.dependency);
    const top = e[f.source];
    if (!top || beats(f, top)) e[f.source] = f;
    else if (!appended && f.fetchedAt === top.fetchedAt) lost.add(f.dependency);
  };
  const remove = (key: string): void => {
    const k = kept.get(key)!;
    kept.delete(key);
    order.delete(key);
    gone(k.entry);
  };
  /** The new published record, built by assignment: spreading a large (dictionary-mode) object is ~25× slower. */
  const publish = (): void => {
    const next: Record<string, FreshnessState> = {};
    for (const d of lost) extremes.set(d, {});
    for (const [key, { entry }] of order) {
      next[key] = entry;
      if (lost.size > 0 && lost.has(entry.dependency)) {
        const e = extremes.get(entry.dependency)!;
        const top = e[entry.source];
        if (!top || beats(entry, top)) e[entry.source] = entry;
      }
    }
    lost.clear();
    freshness = next;
    let of: Record<string, DependencyFreshness> | undefined;
    for (const d of changed) {
      const { cache: oldestCached, network: newestFresh } = extremes.get(d)!;
      const before = freshnessOf[d];
      if (before?.oldestCached === oldestCached && before?.newestFresh === newestFresh) continue;
      of ??= { ...freshnessOf };
      if (!oldestCached && !newestFresh) delete of[d];
      else of[d] = { ...(oldestCached && { oldestCached }), ...(newestFresh && { newestFresh }) };
    }
    changed.clear();
    if (of) freshnessOf = of;
  };

  return {
    get freshness() {
      return freshness;
    },
    get freshnessOf() {
      return freshnessOf;
    },
    get: (key) => kept.get(key)?.entry,
    put(entry, now) {
      const previous = kept.get(entry.key);
      if (previous) {
        kept.delete(entry.key);
        gone(previous.entry);
      }
      const k: Kept = { entry };
      kept.set(entry.key, k);
      order.set(entry.key, k);
      come(entry, !previous);
      let looked = 0;
      for (const [key, head] of kept) {
        if (head === k) break;
        if (kept.size > max || (looked++ < SWEEP && tooOld(head.entry, now))) remove(key);
        else break;
      }
      // The one copy of the record per change (at most `max` keys).
      publish();
    },
    touch(key, now) {
      const k = kept.get(key);
      if (!k) return false;
      if (!tooOld(k.entry, now)) {
        kept.delete(key);
        kept.set(key, k);
        return false;
      }
      remove(key);
      publish();
      return true;
    },
    reset(record) {
      kept.clear();
      order.clear();
      extremes.clear();
      freshnessOf = {};
      for (const entry of Object.values(record)) {
        const k: Kept = { entry };
        kept.set(entry.key, k);
        order.set(entry.key, k);
        come(entry, true);
      }
      publish();
      freshness = record as Record<string, FreshnessState>;
    },
  };
}
