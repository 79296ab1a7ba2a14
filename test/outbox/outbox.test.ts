import {
  type Brownout,
  createClient,
  createMemoryOutboxStorage,
  createVirtualClock,
  getQueuedWrite,
  type OutboxEntry,
  type OutboxStorage,
} from '../../src/index.js';

const API = 'https://orders.test';

/** A server that counts effects per idempotency key, like a real one that honours the key. */
const server = (answers: (number | 'down')[] = []) => {
  const effects = new Map<string, number>();
  const seen: { key: string | null; body: string; auth: string | null; url: string }[] = [];
  let i = 0;
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const body = init.body == null ? '' : await new Response(init.body).text();
    const key = headers.get('idempotency-key');
    seen.push({ key, body, auth: headers.get('authorization'), url: String(input) });
    const answer = answers[Math.min(i++, answers.length - 1)] ?? 201;
    if (answer === 'down') throw new TypeError('Failed to fetch');
    if (answer < 300 && key) effects.set(key, (effects.get(key) ?? 0) + 1);
    return new Response(answer < 300 ? '{"ok":true}' : '', { status: answer });
  };
  return { fetch: fetch as typeof globalThis.fetch, effects, seen };
};

const setup = (answers: (number | 'down')[], extra: { storage?: OutboxStorage; owner?: string } = {}) => {
  const clock = createVirtualClock(0);
  const s = server(answers);
  const storage = extra.storage ?? createMemoryOutboxStorage();
  const client: Brownout<'orders' | 'pricing'> = createClient({
    clock,
    fetch: s.fetch,
    allowedOrigins: [API],
    outbox: {
      storage,
      getHeaders: () => ({ Authorization: 'Bearer fresh-token' }),
      secretHeaders: ['X-Api-Key'],
      backoff: { baseMs: 1_000, capMs: 1_000 },
      ...(extra.owner === undefined ? {} : { owner: extra.owner }),
    },
    dependencies: {
      orders: {
        baseUrl: API,
        writes: 'queue',
        retry: { maxAttempts: 1 },
        breaker: { consecutiveFailures: 1, openMs: 10_000 },
      },
      pricing: { baseUrl: API },
    },
  });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    client.fetch('orders', '/orders', { method: 'POST', body: JSON.stringify(body), headers });
  const run = async () => {
    for (let n = 0; n < 50 && (await clock.next()); n++) {}
    await clock.flush();
  };
  return { clock, client, storage, post, run, ...s };
};

test('a write to a down dependency is queued: 202 with the entry and its position, not an error', async () => {
  const { client, post, clock } = setup(['down']);
  const first = await post({ sku: 'tea' });
  expect(first.status).toBe(202);
  const queued = getQueuedWrite(first);
  expect(queued).toMatchObject({
    position: 1,
    entry: { dependency: 'orders', method: 'POST', status: 'queued' },
  });
  expect(await first.json()).toEqual({ queued: true, id: queued!.entry.id, position: 1 });
  const second = await post({ sku: 'cup' });
  expect(getQueuedWrite(second)?.position).toBe(2);
  expect(client.outbox!.summary('orders')).toEqual({
    queued: 2,
    sending: 0,
    needsAuth: 0,
    failed: 0,
    conflict: 0,
    oldestCreatedAt: clock.now(),
  });
  expect(client.store.getState()).toMatchObject({
    level: 'minimal',
    dependencies: { orders: { level: 'minimal', health: 'down' } },
    outbox: { persistence: 'memory', dependencies: { orders: { queued: 2 } } },
  });
});

test('a healthy write goes straight through, with the key it would have had in the outbox', async () => {
  const { post, seen, effects } = setup([201]);
  const r = await post({ sku: 'tea' }, {});
  expect(r.status).toBe(201);
  expect(getQueuedWrite(r)).toBeUndefined();
  expect(seen[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
  expect(effects.get(seen[0]!.key!)).toBe(1);
});

test('recovery replays FIFO, one at a time, with the same key and payload, then the level returns', async () => {
  const { client, post, clock, seen, effects, run } = setup(['down', 201]);
  const a = getQueuedWrite(await post({ n: 1 }))!.entry;
  const b = getQueuedWrite(await post({ n: 2 }))!.entry;
  expect(seen).toHaveLength(1); // the second write saw the open breaker and was queued without a request
  await clock.advanceAsync(10_000);
  await run();
  const replays = seen.slice(1);
  expect(replays.map((r) => [r.key, r.body])).toEqual([
    [a.idempotencyKey, '{"n":1}'],
    [b.idempotencyKey, '{"n":2}'],
  ]);
  expect(seen[0]!.key).toBe(a.idempotencyKey);
  expect([...effects.values()]).toEqual([1, 1]);
  expect(client.outbox!.list()).toEqual([]);
  await clock.advanceAsync(5_000);
  expect(client.store.getState().level).toBe('normal');
});

test('replay answers: 409 backs off and resends the same key; 422 → conflict; 400 → failed; nothing dropped', async () => {
  const { client, post, clock, seen, run } = setup(['down', 409, 201, 422, 400]);
  const a = getQueuedWrite(await post({ n: 1 }))!.entry;
  const b = getQueuedWrite(await post({ n: 2 }))!.entry;
  const c = getQueuedWrite(await post({ n: 3 }))!.entry;
  await clock.advanceAsync(10_000);
  await run();
  expect(seen.slice(1).map((r) => r.key)).toEqual([
    a.idempotencyKey,
    a.idempotencyKey,
    b.idempotencyKey,
    c.idempotencyKey,
  ]);
  const left = client.outbox!.list();
  expect(left.map((e) => [e.id, e.status, e.lastProblem?.status])).toEqual([
    [b.id, 'conflict', 422],
    [c.id, 'failed', 400],
  ]);
  expect(client.store.getState().outbox.dependencies.orders).toMatchObject({
    failed: 1,
    conflict: 1,
    queued: 0,
  });
});

test('a transient failure on replay keeps the entry queued with backoff and keeps the order', async () => {
  const { client, post, clock, seen, run } = setup(['down', 'down', 503, 201]);
  const a = getQueuedWrite(await post({ n: 1 }))!.entry;
  await clock.advanceAsync(10_000);
  await client.outbox!.drain('orders');
  // The live attempt and the first replay: both count.
  expect(client.outbox!.list()[0]).toMatchObject({ id: a.id, status: 'queued', attempts: 2 });
  await clock.advanceAsync(10_000);
  await run();
  expect(seen.filter((r) => r.key === a.idempotencyKey).length).toBeGreaterThanOrEqual(2);
  expect(client.outbox!.list()).toEqual([]);
});

test('retry() puts a failed entry back; discard() removes it for good', async () => {
  const { client, post, clock, run, effects } = setup(['down', 400, 201]);
  const a = getQueuedWrite(await post({ n: 1 }))!.entry;
  await clock.advanceAsync(10_000);
  await run();
  expect(client.outbox!.list()[0]!.status).toBe('failed');
  await client.outbox!.retry(a.id);
  await run();
  expect(client.outbox!.list()).toEqual([]);
  expect(effects.get(a.idempotencyKey)).toBe(1);
  const b = getQueuedWrite(await post({ n: 2 }))?.entry;
  if (b) {
    await client.outbox!.discard(b.id);
    expect(client.outbox!.list()).toEqual([]);
  }
});

test('secrets are never stored; fresh credentials are asked for at replay', async () => {
  const storage = createMemoryOutboxStorage();
  const stored: OutboxEntry[] = [];
  const spy: OutboxStorage = {
    ...storage,
    persistence: 'memory',
    put: async (e) => {
      stored.push(e);
      return true;
    },
    all: storage.all,
    remove: storage.remove,
  };
  const { post, clock, seen, run } = setup(['down', 201], { storage: spy });
  await post(
    { n: 1 },
    { Authorization: 'Bearer old-secret', Cookie: 'sid=s3cret', 'X-Api-Key': 'k3y', 'X-Trace': 'keep' },
  );
  const bytes = JSON.stringify(stored);
  expect(bytes).not.toMatch(/old-secret|s3cret|k3y/i);
  expect(bytes).toContain('X-Trace'.toLowerCase());
  await clock.advanceAsync(10_000);
  await run();
  expect(seen.at(-1)!.auth).toBe('Bearer fresh-token');
});

test("another owner's entries are not replayed under the current one; reown hands them over", async () => {
  const { client, post, clock, seen, run } = setup(['down', 201], { owner: 'ann' });
  const a = getQueuedWrite(await post({ n: 1 }))!.entry;
  expect(a.owner).toBe('ann');
  client.outbox!.setOwner('bob');
  await clock.advanceAsync(10_000);
  await client.fetch('pricing', '/prices');
  await run();
  await client.outbox!.drain();
  expect(seen.filter((r) => r.key === a.idempotencyKey)).toHaveLength(1);
  expect(client.outbox!.list({ owner: 'ann' })).toHaveLength(1);
  await client.outbox!.reown(a.id, 'bob');
  await client.outbox!.drain('orders');
  expect(client.outbox!.list()).toEqual([]);
});

test('many triggers at once give one drain: each entry is sent once', async () => {
  const { client, post, clock, seen } = setup(['down', 201]);
  await post({ n: 1 });
  await post({ n: 2 });
  await clock.advanceAsync(10_000);
  await Promise.all([
    client.outbox!.drain(),
    client.outbox!.drain('orders'),
    client.outbox!.drain(),
    client.outbox!.drain(),
  ]);
  expect(seen.slice(1)).toHaveLength(2);
});

test('bodies are frozen at enqueue; streams and files are refused with a clear error', async () => {
  const { client } = setup(['down']);
  const stream = new ReadableStream();
  await expect(
    client.fetch('orders', '/o', { method: 'POST', body: stream, duplex: 'half' } as RequestInit),
  ).rejects.toThrow(/cannot be queued \(streams are not replayable\)/);
  const form = new FormData();
  form.append('photo', new Blob(['x']), 'a.png');
  await expect(client.fetch('orders', '/o', { method: 'POST', body: form })).rejects.toThrow(
    /field "photo" is a file/,
  );
  const params = await client.fetch('orders', '/o', {
    method: 'POST',
    body: new URLSearchParams({ a: '1' }),
  });
  expect(getQueuedWrite(params)?.entry.body).toEqual({ kind: 'params', text: 'a=1' });
});

test('an entry stored as "sending" (the page closed mid-send) is sent again with its key on start-up', async () => {
  const storage = createMemoryOutboxStorage();
  await storage.put(
    {
      id: 'e1',
      dependency: 'orders',
      method: 'POST',
      url: `${API}/orders`,
      body: { kind: 'text', text: '{"n":1}' },
      headers: [],
      idempotencyKey: 'key-1',
      createdAt: 0,
      seq: 1,
      attempts: 1,
      status: 'sending',
      nextAttemptAt: 0,
      version: 1,
    },
    undefined,
  );
  const { client, run, seen, effects } = setup([201], { storage });
  await client.outbox!.ready;
  await run();
  expect(seen.map((s) => s.key)).toEqual(['key-1']);
  expect(effects.get('key-1')).toBe(1);
  expect(client.outbox!.list()).toEqual([]);
});

test('storage that fails (quota, private mode) moves the outbox to memory, keeps the write, and says so', async () => {
  const broken: OutboxStorage = {
    persistence: 'indexeddb',
    all: async () => [],
    put: async () => {
      throw new DOMException('quota', 'QuotaExceededError');
    },
    remove: async () => true,
  };
  const { client, post } = setup(['down'], { storage: broken });
  await client.outbox!.ready;
  expect(client.store.getState().outbox.persistence).toBe('indexeddb');
  const r = await post({ n: 1 });
  expect(getQueuedWrite(r)).toBeDefined();
  expect(client.outbox!.persistence).toBe('memory');
  expect(client.outbox!.list()).toHaveLength(1);
  expect(client.store.getState().outbox.persistence).toBe('memory');
});

test('without IndexedDB (jsdom, old browsers) the default storage reports memory mode', async () => {
  const clock = createVirtualClock(0);
  const client = createClient({
    clock,
    fetch: server().fetch,
    dependencies: { orders: { writes: 'queue' } },
  });
  await client.outbox!.ready;
  expect(client.store.getState().outbox.persistence).toBe('memory');
  client.dispose();
});

test('events: queued, sending, replayed', async () => {
  const { client, post, clock, run } = setup(['down', 201]);
  const log: string[] = [];
  for (const type of ['queued', 'sending', 'replayed', 'failed', 'conflict', 'discarded'] as const) {
    client.outbox!.events.on(type, () => log.push(type));
  }
  await post({ n: 1 });
  await clock.advanceAsync(10_000);
  await run();
  expect(log).toEqual(['queued', 'sending', 'replayed']);
});

test('reads and non-queue dependencies are untouched; dispose stops the outbox timers', async () => {
  const { client, post, clock } = setup(['down', 503]);
  await post({ n: 1 });
  await clock.advanceAsync(10_000);
  await client.outbox!.drain('orders');
  expect(clock.pending).toBeGreaterThan(0);
  client.dispose();
  expect(clock.pending).toBe(0);
});

test('a relative baseUrl ("/api"): the queued write is stored absolute and replayed to /api/orders, not /api/api/orders', async () => {
  const clock = createVirtualClock(0);
  const s = server(['down', 'down', 201]);
  const client = createClient({
    clock,
    fetch: s.fetch,
    shareHealth: false,
    outbox: { storage: createMemoryOutboxStorage() },
    dependencies: {
      orders: {
        baseUrl: '/api',
        writes: 'queue',
        retry: { maxAttempts: 1 },
        breaker: { consecutiveFailures: 1 },
      },
    },
  });
  const response = await client.fetch('orders', '/orders', { method: 'POST', body: '{"sku":"cup"}' });
  const queued = getQueuedWrite(response)!;
  expect(queued.entry.url).toBe(`${location.origin}/api/orders`);
  client.breaker('orders').reset();
  await clock.advanceAsync(60_000);
  const urls = s.seen.map((r) => r.url);
  expect(urls[0]).toBe('/api/orders'); // the live try, as the app wrote it
  expect(urls.length).toBeGreaterThan(1);
  expect(urls.slice(1).every((u) => u === `${location.origin}/api/orders`)).toBe(true); // the replays
  expect(client.outbox?.list()).toEqual([]);
  client.dispose();
});

test('a misspelled option of the composed client says what was meant', () => {
  expect(() =>
    createClient({ stor: {}, dependencies: { orders: { writes: 'queue' } } } as unknown as Parameters<
      typeof createClient
    >[0]),
  ).toThrow(/"stor".*Did you mean "store"\?/);
  expect(() =>
    createClient({ outbx: {}, dependencies: {} } as unknown as Parameters<typeof createClient>[0]),
  ).toThrow(/Did you mean "outbox"\?/);
});
