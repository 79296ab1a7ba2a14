import type { Criticality, ReadFallback, WriteFallback } from '../core/index.js';

/** How much of the app works, from everything to nothing. */
export type DegradationLevel = 'normal' | 'partial' | 'minimal' | 'cached' | 'maintenance';

/** A dependency's health: `down` means its breaker is open (or half-open and not yet proven). */
export type Health = 'healthy' | 'degraded' | 'down';

/** The parts of a dependency's policy that decide its degradation level. */
export interface LevelPolicy {
  readonly criticality: Criticality;
  readonly onFailure: 'open' | 'closed';
  readonly reads: ReadFallback;
  readonly writes: WriteFallback;
}

/** Levels from least to most severe: the app's level is the most severe of its dependencies'. */
export const LEVEL_ORDER: readonly DegradationLevel[] = [
  'normal',
  'partial',
  'minimal',
  'cached',
  'maintenance',
];

/** The more severe of two levels. */
export const worstLevel = (a: DegradationLevel, b: DegradationLevel): DegradationLevel =>
  LEVEL_ORDER.indexOf(a) >= LEVEL_ORDER.indexOf(b) ? a : b;

/**
 * A dependency's level from its policy and health (docs/ARCHITECTURE.md, "Degradation levels"). Only `down` changes
 * the level; `degraded` shows in the health panel alone.
 *
 * | down and …                                   | level         |
 * |----------------------------------------------|---------------|
 * | `critical` and fails closed                  | `maintenance` |
 * | `optional`                                   | `partial`     |
 * | writes `queue`                               | `minimal`     |
 * | reads `cache` (something cached to show)     | `cached`      |
 * | reads `partial`                              | `partial`     |
 * | reads `none`, or `cache` with nothing cached | `maintenance` |
 */
export function dependencyLevel(policy: LevelPolicy, health: Health, hasCache = true): DegradationLevel {
  if (health !== 'down') return 'normal';
  if (policy.criticality === 'critical' && policy.onFailure === 'closed') return 'maintenance';
  if (policy.criticality === 'optional') return 'partial';
  if (policy.writes === 'queue') return 'minimal';
  if (policy.reads === 'partial') return 'partial';
  if (policy.reads === 'cache' && hasCache) return 'cached';
  return 'maintenance';
}

/** The most severe level of `levels` (`normal` for none). */
export const overallLevel = (levels: Iterable<DegradationLevel>): DegradationLevel => {
  let level: DegradationLevel = 'normal';
  for (const l of levels) level = worstLevel(level, l);
  return level;
};
