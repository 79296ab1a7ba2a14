import { useMutation } from '@tanstack/react-query';
import { createClient } from 'brownout';
import { createMutationFn, isQueuedMutation, queuedMutationOptions } from 'brownout/query';
import { QueuedWritesIndicator, useQueuedWrite } from 'brownout/react';

declare function signIn(): Promise<void>;

export const client = createClient({
  dependencies: {
    // Replays carry the ETag of the last read of their URL as If-Match: a newer version is a conflict to resolve.
    carts: { baseUrl: '/api', writes: 'queue', ifMatch: true },
  },
});

export function AddToCart({ sku }: { sku: string }) {
  const add = useMutation({
    ...queuedMutationOptions,
    mutationFn: createMutationFn(client, 'carts', (qty: number) => ({
      input: `/carts/mine/items/${sku}`,
      // One order key per item: writes to one item keep their order, items do not wait for each other.
      init: { method: 'PUT', body: JSON.stringify({ qty }), orderKey: `cart-item:${sku}` },
    })),
  });
  // 'queued' → 'sending' → 'sent' (or 'needs-auth', 'conflict', 'failed', 'discarded'), as it happens.
  const state = useQueuedWrite(isQueuedMutation(add.data) ? add.data : undefined);
  return (
    <>
      <button type="button" onClick={() => add.mutate(1)}>
        Add to cart
      </button>
      {state === 'queued' && <p role="status">Saved. It will be sent when the cart service is back.</p>}
      {state === 'sent' && <p role="status">Added.</p>}
      {/* "Sign in again to send your 2 saved changes", "Keep mine" / "Use theirs" for conflicts. */}
      <QueuedWritesIndicator
        dependency="carts"
        onSignIn={() => void signIn().then(() => client.outbox?.resume('carts'))}
      />
    </>
  );
}
