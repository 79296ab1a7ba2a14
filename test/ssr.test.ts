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

test('every kit component renders to a string on a server, in a degraded state, without a DOM', async () => {
  const { createElement: h } = await import('react');
  const { renderToString } = await import('react-dom/server');
  const kit = await import('../src/entries/react.js');
  const { createPreview, reach } = await import('../stories/support/preview.js');
  const p = createPreview();
  await reach(p, 'cached');
  const html = renderToString(
    h(
      kit.BrownoutProvider,
      { client: p.client },
      h(kit.DegradationBanner, { onRetry: () => {} }),
      h(kit.StaleDataNotice, { dependency: 'pricing' }),
      h(kit.WriteGuard, { dependency: 'pricing', children: h('button', { type: 'button' }, 'Save') }),
      h(kit.QueuedWritesIndicator),
      h(kit.RetryCountdown, { dependency: 'pricing', onRetry: () => {} }),
      h(kit.MaintenanceScreen, null, 'app'),
      h(kit.Degradable, { dependency: 'pricing', placeholder: 'placeholder' }, 'part'),
      h(kit.DependencyHealthPanel),
    ),
  );
  expect(html).toContain('Showing saved data from <span><time');
  expect(html).toContain('14 minutes ago');
  expect(html).toContain('Retrying in 12 s');
  expect(html).toContain('aria-disabled="true"');
  p.client.dispose();
});
