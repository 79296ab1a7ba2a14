// The core must work with React, zustand and query-core absent (zustand's tests/vanilla/basic.test.ts idea).
// The store must work without React.
vi.mock('react', () => {
  throw new Error('core imported react');
});
vi.mock('zustand', () => {
  throw new Error('core imported zustand');
});
vi.mock('@tanstack/query-core', () => {
  throw new Error('core imported query-core');
});

test('the core loads and works with the frameworks mocked away', async () => {
  const { createCoreClient, createVirtualClock } = await import('../../src/core/index.js');
  const client = createCoreClient({
    clock: createVirtualClock(),
    dependencies: { api: {} },
    fetch: async () => new Response('{"a":1}'),
  });
  await expect(client.json('api', 'https://x.test/')).resolves.toEqual({ a: 1 });
});

test('the root entry (core, cache, store) loads without React or query-core', async () => {
  vi.doUnmock('zustand');
  vi.resetModules();
  const { createClient, createVirtualClock } = await import('../../src/index.js');
  const client = createClient({
    clock: createVirtualClock(),
    dependencies: { api: {} },
    fetch: async () => new Response('1'),
  });
  await expect(client.json('api', 'https://x.test/')).resolves.toBe(1);
  expect(client.store.getState().level).toBe('normal');
  client.dispose();
});
