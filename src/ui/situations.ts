import type { DegradationState } from '../store/index.js';

/**
 * What the user is told about, most severe first: the device is offline; a part cannot be used; data may
 * be out of date; changes wait to be sent; a part is hidden; a part is slow.
 */
export type Situation = 'offline' | 'maintenance' | 'cached' | 'queued' | 'hidden' | 'slow';

/** Situations from the most severe to the least: the banner and the live region tell them in this order. */
export const SITUATION_ORDER: readonly Situation[] = [
  'offline',
  'maintenance',
  'cached',
  'queued',
  'hidden',
  'slow',
];

/** One situation and the dependencies in it. */
export interface SituationGroup {
  readonly situation: Situation;
  /** The dependencies in this situation, in the store's order (none for `offline`). */
  readonly dependencies: readonly string[];
}

/** Everything the banner and the live region tell, computed once from the store. */
export interface Summary {
  /** The groups, most severe first; empty when all is well. */
  readonly groups: readonly SituationGroup[];
  /** Per dependency, its most severe situation (absent: nothing to tell). */
  readonly byDependency: Readonly<Record<string, Situation>>;
  /** The dependencies a `Retry-After` of status 429 or 503 holds: the service asked us to wait. */
  readonly busy: readonly string[];
  /** The oldest value shown from the cache among the `cached` dependencies (epoch ms). */
  readonly oldestCachedAt: number | undefined;
  /** Writes waiting to be sent, over the summarised dependencies. */
  readonly pendingWrites: number;
}

/**
 * The situations of `names` (default every dependency) in `state`. A value on screen that came from the
 * cache is `cached` even before the breaker opens; waiting writes are `queued` even after the dependency is
 * back, until they are sent; offline, nothing blames a service.
 */
export function summarize(state: DegradationState, names?: readonly string[]): Summary {
  const deps = (names ?? Object.keys(state.dependencies)).flatMap((n) => state.dependencies[n] ?? []);
  let oldestCachedAt: number | undefined;
  const fromCache = new Set<string>();
  // The store keeps each dependency's oldest cached value as freshness changes: no scan of every key here.
  for (const d of deps) {
    const cached = state.freshnessOf[d.name]?.oldestCached;
    if (!cached) continue;
    fromCache.add(d.name);
    oldestCachedAt = Math.min(oldestCachedAt ?? cached.fetchedAt, cached.fetchedAt);
  }
  const byDependency: Record<string, Situation> = {};
  /** Every situation of each dependency, its main one first: saved data, waiting writes and slowness go together. */
  const told = new Map<string, Situation[]>();
  const busy: string[] = [];
  let pendingWrites = 0;
  for (const d of deps) {
    const waiting = state.outbox.dependencies[d.name];
    const pending = waiting ? waiting.queued + waiting.sending + waiting.needsAuth : 0;
    pendingWrites += pending;
    const queued = pending > 0 || d.level === 'minimal';
    const cached = fromCache.has(d.name) || d.level === 'cached';
    const slow = d.slow && state.online;
    let situations: Situation[];
    if (state.online && d.level === 'maintenance') situations = ['maintenance'];
    // A part hidden while it is down (optional, or reads: 'partial') is hidden, whatever its cache holds.
    else if (d.level === 'partial') situations = ['hidden'];
    else {
      // A dependency whose writes wait is first of all about those writes (its reads may be saved data too).
      const main: Situation[] = queued && d.level === 'minimal' ? ['queued', 'cached'] : ['cached', 'queued'];
      situations = main.filter((x) => (x === 'cached' ? cached : queued));
      // Slow is told too while saved data is shown or changes wait (the part is reloading).
      if (slow) situations.push('slow');
    }
    if (situations[0]) byDependency[d.name] = situations[0];
    told.set(d.name, situations);
    if (d.heldBy !== undefined && d.level !== 'normal') busy.push(d.name);
  }
  const groups: SituationGroup[] = [];
  if (!state.online) groups.push({ situation: 'offline', dependencies: [] });
  for (const situation of SITUATION_ORDER) {
    const dependencies = deps.filter((d) => told.get(d.name)?.includes(situation)).map((d) => d.name);
    if (dependencies.length > 0) groups.push({ situation, dependencies });
  }
  return { groups, byDependency, busy, oldestCachedAt, pendingWrites };
}

/** True when `a` and `b` tell the same (for `useBrownoutSelector`'s `isEqual`). */
export function sameSummary(a: Summary, b: Summary): boolean {
  return (
    a.oldestCachedAt === b.oldestCachedAt &&
    a.pendingWrites === b.pendingWrites &&
    a.busy.join() === b.busy.join() &&
    a.groups.length === b.groups.length &&
    a.groups.every(
      (g, i) =>
        g.situation === b.groups[i]?.situation && g.dependencies.join() === b.groups[i]?.dependencies.join(),
    )
  );
}
