import { type CachedResponse, createMemoryCache } from '../../src/index.js';

const entry = (key: string, bytes = 10): CachedResponse => ({
  key,
  status: 200,
  headers: [],
  body: new Uint8Array(bytes),
  fetchedAt: 0,
});

test('keeps the most recently used entries within maxEntries', () => {
  const cache = createMemoryCache({ maxEntries: 2 });
  cache.set(entry('a'));
  cache.set(entry('b'));
  cache.get('a');
  cache.set(entry('c'));
  expect([cache.get('a'), cache.get('b'), cache.get('c')].map((e) => e?.key)).toEqual(['a', undefined, 'c']);
  expect(cache.size).toBe(2);
});

test('keeps bodies within maxBytes and skips a body larger than the whole budget', () => {
  const cache = createMemoryCache({ maxBytes: 25 });
  cache.set(entry('a', 10));
  cache.set(entry('b', 10));
  cache.set(entry('c', 10));
  expect(cache.get('a')).toBeUndefined();
  expect(cache.size).toBe(2);
  cache.set(entry('huge', 26));
  expect(cache.get('huge')).toBeUndefined();
});

test('replacing a key does not count its old body twice; delete and clear', () => {
  const cache = createMemoryCache({ maxBytes: 20 });
  cache.set(entry('a', 10));
  cache.set(entry('a', 10));
  cache.set(entry('b', 10));
  expect(cache.size).toBe(2);
  cache.delete('a');
  expect(cache.get('a')).toBeUndefined();
  cache.clear();
  expect(cache.size).toBe(0);
});

test('rejects nonsense bounds', () => {
  expect(() => createMemoryCache({ maxEntries: 0 })).toThrow(RangeError);
});
