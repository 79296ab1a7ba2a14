// The live region's timing rules, at their edges, on a virtual clock.
import { createVirtualClock } from '../../src/core/index.js';
import { AnnouncementPlanner, type Change } from '../../src/ui/announcements.js';
import type { Situation, Summary } from '../../src/ui/situations.js';

const summary = (byDependency: Record<string, Situation>): Summary => ({
  groups: [],
  byDependency,
  busy: [],
  oldestCachedAt: undefined,
  pendingWrites: 0,
});

function setup() {
  const clock = createVirtualClock(0);
  const said: { at: number; changes: readonly Change[] }[] = [];
  const planner = new AnnouncementPlanner(clock, {}, (changes) => said.push({ at: clock.now(), changes }));
  const to = (s: Record<string, Situation>, online = true) => planner.update(summary(s), online);
  to({}); // what was on screen at mount: never announced
  return { clock, said, planner, to, last: () => said.at(-1)?.changes.map((c) => `${c.subject}:${c.to}`) };
}

test('a trouble is said at once; a recovery only after it held 5 s (not 1 ms before)', () => {
  const { clock, said, to, last } = setup();
  to({ pricing: 'cached' });
  expect(last()).toEqual(['pricing:cached']);
  clock.advance(10_000);
  to({});
  clock.advance(4_999);
  expect(said).toHaveLength(1);
  clock.advance(1);
  expect(last()).toEqual(['pricing:normal']);
});

test('a relapse during the hold cancels the recovery, and the next hold is twice as long', () => {
  const { clock, said, to, last } = setup();
  to({ pricing: 'cached' });
  clock.advance(10_000);
  to({});
  clock.advance(3_000);
  to({ pricing: 'cached' }); // flapping: nothing to say (it is what was said)
  clock.advance(10_000);
  expect(said).toHaveLength(1);
  to({});
  clock.advance(9_999);
  expect(said).toHaveLength(1);
  clock.advance(1);
  expect(last()).toEqual(['pricing:normal']);
});

test('never two announcements within 2 s: a trouble right after another waits, and changes due together are said together', () => {
  const { clock, said, to, last } = setup();
  to({ pricing: 'cached' });
  clock.advance(500);
  to({ pricing: 'cached', reviews: 'hidden' });
  to({ pricing: 'cached', reviews: 'hidden', orders: 'queued' });
  expect(said).toHaveLength(1);
  clock.advance(1_499);
  expect(said).toHaveLength(1);
  clock.advance(1);
  expect(last()).toEqual(['reviews:hidden', 'orders:queued']);
});

test('offline is the connection, said at once; back online once it held (wifi flaps too); dispose leaves no timer', () => {
  const { clock, to, last, planner } = setup();
  to({}, false);
  expect(last()).toEqual(['@connection:offline']);
  clock.advance(60_000);
  to({}, true);
  clock.advance(5_000);
  expect(last()).toEqual(['@connection:normal']);
  to({ pricing: 'cached' });
  clock.advance(3_000);
  expect(last()).toEqual(['pricing:cached']);
  to({}); // its recovery is held: a timer runs
  expect(clock.pending).toBeGreaterThan(0);
  planner.dispose();
  expect(clock.pending).toBe(0);
});
