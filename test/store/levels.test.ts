import {
  type Criticality,
  dependencyLevel,
  type Health,
  overallLevel,
  type ReadFallback,
  type WriteFallback,
} from '../../src/index.js';
import { worstLevel } from '../../src/store/index.js';

const CRITICALITY: Criticality[] = ['critical', 'core', 'optional'];
const ON_FAILURE = ['open', 'closed'] as const;
const READS: ReadFallback[] = ['cache', 'partial', 'none'];
const WRITES: WriteFallback[] = ['queue', 'reject'];
const HEALTH: Health[] = ['healthy', 'degraded', 'down'];

// The table of docs/ARCHITECTURE.md, written out as the expectation for every combination.
const expected = (c: Criticality, f: 'open' | 'closed', r: ReadFallback, w: WriteFallback, h: Health) => {
  if (h !== 'down') return 'normal';
  if (c === 'critical' && f === 'closed') return 'maintenance';
  if (c === 'optional') return 'partial';
  if (w === 'queue') return 'minimal';
  if (r === 'partial') return 'partial';
  if (r === 'cache') return 'cached';
  return 'maintenance';
};

const cases = CRITICALITY.flatMap((c) =>
  ON_FAILURE.flatMap((f) =>
    READS.flatMap((r) => WRITES.flatMap((w) => HEALTH.map((h) => [c, f, r, w, h] as const))),
  ),
);

test('the table covers criticality × onFailure × reads × writes × health (108 cases)', () => {
  expect(cases).toHaveLength(108);
});

test.each(cases)('%s, fails %s, reads %s, writes %s, %s', (criticality, onFailure, reads, writes, health) => {
  expect(dependencyLevel({ criticality, onFailure, reads, writes }, health)).toBe(
    expected(criticality, onFailure, reads, writes, health),
  );
});

test('a core cached dependency with nothing cached is maintenance', () => {
  expect(
    dependencyLevel(
      { criticality: 'core', onFailure: 'open', reads: 'cache', writes: 'reject' },
      'down',
      false,
    ),
  ).toBe('maintenance');
});

test('degraded never changes the level', () => {
  expect(
    dependencyLevel(
      { criticality: 'critical', onFailure: 'closed', reads: 'none', writes: 'reject' },
      'degraded',
    ),
  ).toBe('normal');
});

test('the most severe level wins', () => {
  expect(overallLevel([])).toBe('normal');
  expect(overallLevel(['partial', 'cached', 'minimal'])).toBe('cached');
  expect(overallLevel(['normal', 'maintenance', 'partial'])).toBe('maintenance');
  expect(worstLevel('minimal', 'partial')).toBe('minimal');
});
