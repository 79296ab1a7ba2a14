// @vitest-environment node
// The README's runnable example runs as written.
import { orderIsSentOnceWithOneKey } from '../examples/chaos.js';

test('examples/chaos.ts: 429 → 502 → 201 sends the order once per attempt with one key', async () => {
  expect(await orderIsSentOnceWithOneKey()).toBe(true);
});
