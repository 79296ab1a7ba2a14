// @vitest-environment node
import { createIndexedDbCache } from '../../src/index.js';

test('without IndexedDB (server rendering, old browsers) it is an empty cache that says so', async () => {
  const onError = vi.fn();
  const cache = createIndexedDbCache({ onError });
  await cache.set({ key: 'k', status: 200, headers: [], body: new Uint8Array(1), fetchedAt: 0 });
  expect(await cache.get('k')).toBeUndefined();
  expect(onError).toHaveBeenCalledTimes(1);
  expect(onError.mock.calls[0]![0]).toBeInstanceOf(Error);
});
