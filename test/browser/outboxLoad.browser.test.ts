// 1 000 queued writes in real IndexedDB: all stored, all replayed once, in order. The throughput is printed
// for the record (never asserted: these machines are shared).
import { createClient, createIndexedDbOutboxStorage, getQueuedWrite } from '../../src/index.js';

test('1 000 writes queue and replay once each, in order', { timeout: 90_000 }, async () => {
  const storage = createIndexedDbOutboxStorage('brownout-outbox-load-test');
  for (const e of await storage.all()) await storage.remove(e.id);
  let up = false;
  const order: number[] = [];
  const keys = new Set<string>();
  const client = createClient({
    fetch: async (_input, init) => {
      if (!up) throw new TypeError('Failed to fetch');
      keys.add(new Headers(init?.headers).get('idempotency-key')!);
      order.push(JSON.parse(String(init?.body)).i);
      return new Response(null, { status: 204 });
    },
    shareHealth: false,
    outbox: { storage, backoff: { baseMs: 1, capMs: 1 } },
    dependencies: {
      orders: { baseUrl: `${location.origin}/api`, writes: 'queue', retry: { maxAttempts: 1 } },
    },
  });
  const t0 = performance.now();
  for (let i = 0; i < 1_000; i++) {
    const r = await client.fetch('orders', '/orders', { method: 'POST', body: JSON.stringify({ i }) });
    expect(getQueuedWrite(r)).toBeDefined();
  }
  const enqueueMs = performance.now() - t0;
  expect(await storage.all()).toHaveLength(1_000);
  up = true;
  client.breaker('orders').reset();
  const t1 = performance.now();
  while (client.outbox!.list().length > 0) await client.outbox!.drain('orders');
  const replayMs = performance.now() - t1;
  expect(keys.size).toBe(1_000);
  expect(order).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
  expect(await storage.all()).toHaveLength(0);
  console.info(
    `outbox in Chromium/IndexedDB: enqueue 1 000 in ${Math.round(enqueueMs)} ms (${Math.round(1e6 / enqueueMs)}/s), replay 1 000 in ${Math.round(replayMs)} ms (${Math.round(1e6 / replayMs)}/s)`,
  );
  client.dispose();
});
