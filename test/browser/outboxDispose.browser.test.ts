import { createPreview, reach } from '../../stories/support/preview.js';

// Found by the stories: a story's client disposed mid-replay threw "Channel is closed" from postMessage.
test('a replay that ends after dispose() does not post on the closed cross-tab channel', async () => {
  const p = createPreview();
  const posted = vi.spyOn(BroadcastChannel.prototype, 'postMessage');
  const errors: unknown[] = [];
  const onError = (e: PromiseRejectionEvent) => errors.push(e.reason);
  addEventListener('unhandledrejection', onError);
  await reach(p, 'sending'); // a replay hangs in flight
  expect(p.client.outbox?.summary('orders').sending).toBe(1);
  posted.mockClear();
  p.client.dispose(); // aborts it: the replay ends now, after the channel was closed
  await p.advance(60_000);
  await new Promise((resolve) => setTimeout(resolve, 50));
  removeEventListener('unhandledrejection', onError);
  expect(posted).not.toHaveBeenCalled();
  expect(errors).toEqual([]);
  posted.mockRestore();
});
