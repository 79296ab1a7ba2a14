// A TanStack useMutation whose write is queued learns what became of it: useQueuedWrite and the
// QueuedMutation's `settled` follow the write through the outbox, and bindQueryClient refetches the
// dependency's queries when the server changed (a replay) or the user chose the server's version.
// The real createClient on a virtual clock, a fake fetch that takes `orders` down and up again.
import { QueryClient, QueryClientProvider, useMutation, useQuery } from '@tanstack/react-query';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { memo } from 'react';
import { BrownoutProvider, useQueuedWrite } from '../../src/entries/react.js';
import { createClient, createSeededRandom, createVirtualClock, getQueuedWrite } from '../../src/index.js';
import {
  bindQueryClient,
  createMutationFn,
  createQueryFn,
  isQueuedMutation,
  type QueuedMutation,
  queuedMutationOptions,
} from '../../src/query/index.js';
import { fakeFetch } from '../helpers/fakeFetch.js';

const OPEN_MS = 30_000;

const setup = () => {
  const server = {
    mode: 'up' as 'up' | 'down',
    /** What a replayed POST is answered with while up (422: the key met another payload → conflict). */
    writeStatus: 201,
    /** The server's version of the orders, changed by someone else. */
    version: 1,
    writes: new Set<string>(),
    reads: 0,
  };
  const { fetch } = fakeFetch((req) => {
    if (server.mode === 'down') return new Response(null, { status: 503 });
    if (req.method === 'POST') {
      if (server.writeStatus >= 400) {
        return Response.json(
          { type: 'about:blank', title: 'Unprocessable', status: server.writeStatus },
          { status: server.writeStatus, headers: { 'content-type': 'application/problem+json' } },
        );
      }
      server.writes.add(req.headers.get('idempotency-key') ?? 'none');
      return Response.json({ id: server.writes.size }, { status: 201 });
    }
    server.reads++;
    return Response.json({ count: server.writes.size, version: server.version });
  });
  const clock = createVirtualClock(Date.UTC(2026, 11, 3, 12));
  const client = createClient({
    clock,
    random: createSeededRandom(7),
    fetch,
    outbox: { storage: 'memory', backoff: { baseMs: 1, capMs: 2 } },
    dependencies: {
      orders: {
        baseUrl: 'https://orders.test',
        writes: 'queue',
        retry: { maxAttempts: 1 },
        breaker: { consecutiveFailures: 1, openMs: OPEN_MS },
      },
      pricing: { baseUrl: 'https://pricing.test', retry: { maxAttempts: 1 } },
    },
  });
  const queryClient = new QueryClient();
  const unbind = bindQueryClient(queryClient, client, { random: createSeededRandom(8) });
  const mutationFn = createMutationFn(client, 'orders', (sku: string) => ({
    input: '/orders',
    init: { method: 'POST', body: JSON.stringify({ sku }) },
  }));
  const ordersQuery = {
    queryKey: ['orders'],
    queryFn: createQueryFn<{ count: number; version: number }>(client, 'orders', '/orders'),
  };
  const done = () => {
    unbind();
    client.dispose();
    queryClient.clear();
  };
  return { server, clock, client, queryClient, mutationFn, ordersQuery, unbind, done };
};
type Setup = ReturnType<typeof setup>;

/** What became of the order; memo: it re-renders only when useQueuedWrite says the write changed. */
const OrderState = memo(function OrderState({ order }: { order: unknown }) {
  const state = useQueuedWrite(isQueuedMutation(order) ? order : undefined);
  return <p>{`write: ${state ?? 'none'}`}</p>;
});

/** The shop's order button, what became of the order, and the orders as the server has them. */
function Shop({ s, onQueued }: { s: Setup; onQueued: (q: QueuedMutation) => void }) {
  const orders = useQuery(s.ordersQuery);
  const order = useMutation({
    ...queuedMutationOptions,
    mutationFn: s.mutationFn,
    onSuccess: (data) => {
      if (isQueuedMutation(data)) onQueued(data);
    },
  });
  return (
    <>
      <button type="button" onClick={() => order.mutate('tea')}>
        Buy tea
      </button>
      <OrderState order={order.data} />
      <p>{orders.data ? `orders: ${orders.data.count} v${orders.data.version}` : 'loading'}</p>
    </>
  );
}

const show = (s: Setup) => {
  let queued: QueuedMutation | undefined;
  render(
    <BrownoutProvider client={s.client}>
      <QueryClientProvider client={s.queryClient}>
        <Shop
          s={s}
          onQueued={(q) => {
            queued = q;
          }}
        />
      </QueryClientProvider>
    </BrownoutProvider>,
  );
  return { queued: () => queued };
};

/** Orders goes down and the user buys: the write fails live (503), the breaker opens, the write is queued. */
const buyWhileDown = async (s: Setup, view: ReturnType<typeof show>): Promise<QueuedMutation> => {
  await screen.findByText('orders: 0 v1');
  s.server.mode = 'down';
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Buy tea' }));
    await vi.waitFor(() => expect(view.queued()).toBeDefined());
  });
  return view.queued()!;
};

/** Orders is back: at the end of the open period the query is the probe, the breaker closes, the outbox replays. */
const recover = async (s: Setup): Promise<void> => {
  s.server.mode = 'up';
  await act(() => s.clock.advanceAsync(OPEN_MS));
};

test('a queued write shows "queued", then "sent" after recovery and replay, and the query refetches', async () => {
  const s = setup();
  const view = show(s);
  const queued = await buyWhileDown(s, view);
  expect(queued).toMatchObject({ queued: true, position: 1 });
  expect(queued.settled).toBeInstanceOf(Promise);
  expect(await screen.findByText('write: queued')).toBeInTheDocument();

  await recover(s);
  expect(await screen.findByText('write: sent')).toBeInTheDocument();
  await expect(queued.settled).resolves.toBe('sent');
  // The query read the orders after the replay: it was invalidated and, being shown, refetched.
  expect(await screen.findByText('orders: 1 v1')).toBeInTheDocument();
  expect(s.server.writes.size).toBe(1);
  expect(s.client.outbox!.list()).toEqual([]);
  s.done();
});

test('a discarded write shows "discarded", settles "discarded", is never sent, and invalidates nothing', async () => {
  const s = setup();
  const view = show(s);
  const queued = await buyWhileDown(s, view);
  expect(await screen.findByText('write: queued')).toBeInTheDocument();
  await act(() => s.client.outbox!.discard(queued.id));
  expect(screen.getByText('write: discarded')).toBeInTheDocument();
  await expect(queued.settled).resolves.toBe('discarded');
  // The server did not change: nothing to refetch.
  expect(s.queryClient.getQueryState(['orders'])!.isInvalidated).toBe(false);
  await recover(s);
  expect(s.server.writes.size).toBe(0);
  expect(screen.getByText('write: discarded')).toBeInTheDocument();
  s.done();
});

test("acceptTheirs: a conflicting write is dropped as 'theirs' and the dependency's queries refetch", async () => {
  const s = setup();
  const view = show(s);
  const queued = await buyWhileDown(s, view);
  // Meanwhile someone else changed the orders; the replay is refused as a conflict.
  s.server.writeStatus = 422;
  s.server.version = 2;
  await recover(s);
  expect(await screen.findByText('write: conflict')).toBeInTheDocument();
  await expect(queued.settled).resolves.toBe('conflict');
  const reads = s.server.reads;
  const discarded = vi.fn();
  s.client.outbox!.events.on('discarded', discarded);

  await act(() => s.client.outbox!.acceptTheirs(queued.id));
  expect(discarded).toHaveBeenCalledWith(expect.objectContaining({ reason: 'theirs' }));
  expect(screen.getByText('write: discarded')).toBeInTheDocument();
  // The user keeps the server's version: the shown query reads it again.
  expect(await screen.findByText('orders: 0 v2')).toBeInTheDocument();
  expect(s.server.reads).toBe(reads + 1);
  expect(s.client.outbox!.list()).toEqual([]);
  s.done();
});

test("bindQueryClient invalidates a dependency's queries on a discard as 'theirs' only, until unbound", async () => {
  const s = setup();
  const fetchAll = () =>
    Promise.all([
      s.queryClient.fetchQuery(s.ordersQuery),
      s.queryClient.fetchQuery({
        queryKey: ['prices'],
        queryFn: createQueryFn(s.client, 'pricing', '/prices'),
      }),
    ]);
  const invalidated = () => ({
    orders: s.queryClient.getQueryState(['orders'])!.isInvalidated,
    prices: s.queryClient.getQueryState(['prices'])!.isInvalidated,
  });
  await fetchAll();
  // A real entry, discarded by the user: the server never changed, nothing is invalidated.
  s.server.mode = 'down';
  const response = await s.client.fetch('orders', '/orders', { method: 'POST', body: '{}' });
  const { entry } = getQueuedWrite(response)!;
  await s.client.outbox!.discard(entry.id);
  s.server.mode = 'up';
  s.client.breaker('orders').reset();
  await fetchAll();
  expect(invalidated()).toEqual({ orders: false, prices: false });

  // The events as the outbox emits them, so this part holds whatever the outbox's inner workings.
  s.client.outbox!.events.emit('discarded', { entry, reason: 'discarded' });
  expect(invalidated()).toEqual({ orders: false, prices: false });
  s.client.outbox!.events.emit('discarded', { entry, reason: 'theirs' });
  expect(invalidated()).toEqual({ orders: true, prices: false });

  await fetchAll();
  expect(invalidated()).toEqual({ orders: false, prices: false });
  s.unbind();
  s.client.outbox!.events.emit('discarded', { entry, reason: 'theirs' });
  s.client.outbox!.events.emit('replayed', { entry, status: 201 });
  expect(invalidated()).toEqual({ orders: false, prices: false });
  s.client.dispose();
  s.queryClient.clear();
});
