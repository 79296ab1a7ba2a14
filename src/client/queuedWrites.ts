import type { OutboxEntry } from '../outbox/index.js';

/** A write that was queued instead of sent: what the app shows ("1 change waiting to be sent"). */
export interface QueuedWrite {
  readonly entry: OutboxEntry;
  /** Its place among the dependency's queued writes, from 1. */
  readonly position: number;
}

const queuedWrites = new WeakMap<Response, QueuedWrite>();

/**
 * The queued write behind a `202` response from a Brownout client, or `undefined` for a response that was
 * really sent.
 * @example
 * const r = await client.fetch('orders', '/api/orders', { method: 'POST', body });
 * const queued = getQueuedWrite(r); // { entry, position } → "1 change waiting to be sent"
 */
export const getQueuedWrite = (response: Response): QueuedWrite | undefined => queuedWrites.get(response);

/** A `202 Accepted` that stands for a write waiting in the outbox (found again by {@link getQueuedWrite}). */
export function queuedResponse(queued: QueuedWrite): Response {
  const response = new Response(
    JSON.stringify({ queued: true, id: queued.entry.id, position: queued.position }),
    {
      status: 202,
      statusText: 'Accepted',
      headers: { 'content-type': 'application/json', 'x-brownout-queued': queued.entry.id },
    },
  );
  queuedWrites.set(response, { entry: queued.entry, position: queued.position });
  return response;
}
