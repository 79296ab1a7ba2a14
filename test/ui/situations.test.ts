// summarize: the one reading of the store that the banner and the live region share (and an app with its own
// design system can use to tell the same truth).
import { SITUATION_ORDER, summarize } from '../../src/ui/index.js';
import { createPreview, reach } from '../../stories/support/preview.js';

test('several outages: one group per situation, most severe first, with the oldest saved value', async () => {
  const p = createPreview();
  await reach(p, 'several');
  const summary = summarize(p.client.store.getState());
  expect(summary.groups).toEqual([
    { situation: 'cached', dependencies: ['pricing'] },
    { situation: 'queued', dependencies: ['orders'] },
    { situation: 'hidden', dependencies: ['reviews'] },
  ]);
  expect(summary.byDependency).toEqual({ pricing: 'cached', orders: 'queued', reviews: 'hidden' });
  expect(summary.pendingWrites).toBe(1);
  expect(summary.oldestCachedAt).toBeLessThan(p.clock.now());
  expect(summarize(p.client.store.getState(), ['reviews']).groups).toEqual([
    { situation: 'hidden', dependencies: ['reviews'] },
  ]);
  expect(SITUATION_ORDER[0]).toBe('offline');
});

test('offline: the connection comes first and nothing is called maintenance; busy names the held part', async () => {
  const offline = createPreview();
  await reach(offline, 'offline');
  expect(summarize(offline.client.store.getState()).groups.map((g) => g.situation)).toEqual([
    'offline',
    'cached',
    'queued',
  ]);
  const busy = createPreview();
  await reach(busy, 'busy');
  expect(summarize(busy.client.store.getState()).busy).toEqual(['pricing']);
});
