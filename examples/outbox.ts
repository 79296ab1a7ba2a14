import { createClient, getQueuedWrite } from 'brownout';

declare const user: { id: string };
declare function token(): Promise<string>;

const client = createClient({
  dependencies: { orders: { baseUrl: '/api', writes: 'queue' } },
  outbox: { owner: user.id, getHeaders: async () => ({ Authorization: `Bearer ${await token()}` }) },
});

export async function placeOrder(order: { sku: string; qty: number }): Promise<string> {
  const response = await client.fetch('orders', '/orders', { method: 'POST', body: JSON.stringify(order) });
  const queued = getQueuedWrite(response); // { entry, position } when queued, undefined when sent
  return queued ? `Saved — it will be sent when orders is back (${queued.position} waiting)` : 'Order placed';
}
