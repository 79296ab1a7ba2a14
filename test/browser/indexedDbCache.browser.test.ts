// Real Chromium, real IndexedDB, a real page reload: the last good value survives it.
import { createIndexedDbCache } from '../../src/index.js';

const nextMessage = () =>
  new Promise<Record<string, unknown>>((resolve) => {
    const onMessage = (e: MessageEvent) => {
      window.removeEventListener('message', onMessage);
      resolve(e.data as Record<string, unknown>);
    };
    window.addEventListener('message', onMessage);
  });

async function reloadWhileDown(query: string): Promise<void> {
  sessionStorage.removeItem('down');
  const frame = document.createElement('iframe');
  let message = nextMessage();
  frame.src = `/test/browser/fixtures/reload.html?mode=up${query}`;
  document.body.append(frame);
  const first = await message;
  expect(first).toMatchObject({ body: { price: 4.5 }, freshness: { source: 'network' } });

  // The API goes down; the page reloads (a new document, new client, new IndexedDB connection).
  sessionStorage.setItem('down', '1');
  message = nextMessage();
  frame.contentWindow!.location.reload();
  const reloadedAt = Date.now();
  const second = await message;
  expect(second).toMatchObject({ body: { price: 4.5 }, freshness: { source: 'cache' } });
  // The stored age is the moment the first body completed: not before its headers, not after the reload.
  const storedAt = (second.freshness as { fetchedAt: number }).fetchedAt;
  expect(storedAt).toBeGreaterThanOrEqual((first.freshness as { fetchedAt: number }).fetchedAt);
  expect(storedAt).toBeLessThanOrEqual(reloadedAt);
  frame.remove();
  sessionStorage.removeItem('down');
}

test('a cached value persisted in IndexedDB is served after a reload while the API is down', async () => {
  await createIndexedDbCache({ databaseName: 'brownout-reload-test' }).clear();
  await reloadWhileDown('');
});

test('reads persist by default: createClient with no cache option serves the last value after a reload', async () => {
  await createIndexedDbCache({ databaseName: 'brownout-cache' }).clear();
  await reloadWhileDown('&cache=default');
});

test('the cache round-trips an entry and deletes it', async () => {
  const cache = createIndexedDbCache({ databaseName: 'brownout-roundtrip-test' });
  await cache.set({
    key: 'k',
    status: 200,
    headers: [['content-type', 'text/plain']],
    body: new Uint8Array([1, 2]),
    fetchedAt: 5,
  });
  const got = await cache.get('k');
  expect(got).toMatchObject({ key: 'k', status: 200, fetchedAt: 5 });
  expect([...got!.body]).toEqual([1, 2]);
  await cache.delete('k');
  expect(await cache.get('k')).toBeUndefined();
});
