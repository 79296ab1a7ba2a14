// Offline is the user's connection: the composed client queues writes without trying them, the outbox
// sends nothing until the device is back, breakers stay closed, and the store says offline.
import {
  createClient,
  createManualEnvironment,
  createMemoryOutboxStorage,
  createSeededRandom,
  createVirtualClock,
} from '../../src/index.js';

test('offline for a minute: nothing is sent, no breaker opens; back online, the queued write goes once', async () => {
  const clock = createVirtualClock();
  const environment = createManualEnvironment();
  const sent: string[] = [];
  const client = createClient({
    clock,
    environment,
    random: createSeededRandom(1),
    fetch: async (input, init) => {
      sent.push(`${init?.method ?? 'GET'} ${String(input)}`);
      if (!environment.online()) throw new TypeError('Failed to fetch');
      return new Response('{}', { status: 201 });
    },
    outbox: { storage: createMemoryOutboxStorage() },
    dependencies: {
      orders: { baseUrl: 'https://shop.test', writes: 'queue', breaker: { consecutiveFailures: 1 } },
      pricing: { baseUrl: 'https://shop.test', breaker: { consecutiveFailures: 1 } },
    },
  });
  environment.set({ online: false });
  expect(client.store.getState().online).toBe(false);
  const response = await client.fetch('orders', '/orders', { method: 'POST', body: '{"sku":"tea"}' });
  expect(response.status).toBe(202); // queued, not tried: the device is offline
  await client.fetch('pricing', '/prices').catch(() => {});
  await clock.advanceAsync(60_000);
  expect(sent).toEqual(['GET https://shop.test/prices']); // the app's read; never the queued write
  expect(client.breaker('pricing').state.state).toBe('closed');
  expect(client.store.getState().dependencies.orders?.level).toBe('minimal'); // its write waits
  environment.set({ online: true });
  await clock.advanceAsync(1_000);
  expect(sent.filter((s) => s.startsWith('POST'))).toEqual(['POST https://shop.test/orders']);
  expect(client.store.getState()).toMatchObject({ online: true, level: 'normal' });
  client.dispose();
  expect(clock.pending).toBe(0);
});
