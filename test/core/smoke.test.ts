import { createClient, createVirtualClock } from '../../src/index.js';

test('a call through a dependency returns the response', async () => {
  const clock = createVirtualClock();
  const client = createClient({
    clock,
    dependencies: { api: { baseUrl: 'https://api.test' } },
    fetch: async () => new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } }),
  });
  expect(await client.json('api', '/x')).toEqual({ ok: true });
  expect(client.metrics('api').successes).toBe(1);
  expect(clock.pending).toBe(0);
});
