// The core must work with React, zustand and query-core absent (zustand's tests/vanilla/basic.test.ts idea).
vi.mock('react', () => {
  throw new Error('core imported react');
});
vi.mock('zustand', () => {
  throw new Error('core imported zustand');
});
vi.mock('@tanstack/query-core', () => {
  throw new Error('core imported query-core');
});

test('the root entry loads and works with the frameworks mocked away', async () => {
  const { createClient, createVirtualClock } = await import('../../src/index.js');
  const client = createClient({
    clock: createVirtualClock(),
    dependencies: { api: {} },
    fetch: async () => new Response('{"a":1}'),
  });
  await expect(client.json('api', 'https://x.test/')).resolves.toEqual({ a: 1 });
});
