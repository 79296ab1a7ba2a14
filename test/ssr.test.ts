// @vitest-environment node
// No module may touch window, document or storage at import time: server rendering must not crash.

test('the node environment has no DOM', () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
});

test.each([
  ['brownout', () => import('../src/index.js')],
  ['brownout/react', () => import('../src/entries/react.js')],
  ['brownout/query', () => import('../src/query/index.js')],
  ['brownout/msw', () => import('../src/msw/index.js')],
])('%s imports without a DOM', async (_name, load) => {
  const mod = await load();
  expect(Object.keys(mod).length).toBeGreaterThan(0);
});

test('a client with an outbox and shared health can be made on a server and disposed', async () => {
  const { createClient } = await import('../src/index.js');
  const client = createClient({
    dependencies: { orders: { writes: 'queue' } },
    fetch: async () => new Response(null),
  });
  await client.outbox!.ready;
  expect(client.store.getState().outbox.persistence).toBe('memory');
  client.dispose();
});
