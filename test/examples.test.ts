// @vitest-environment node
// The README's runnable example runs as written.
import { orderIsSentOnceWithOneKey } from '../examples/chaos.js';

test('examples/chaos.ts: 429 → 502 → 201 sends the order once per attempt with one key', async () => {
  expect(await orderIsSentOnceWithOneKey()).toBe(true);
});

test('examples/chaos-controller.ts: a pricing outage from a named scenario is served from the cache', async () => {
  const { pricingOutageIsServedFromCache } = await import('../examples/chaos-controller.js');
  expect(await pricingOutageIsServedFromCache()).toBe(true);
});
