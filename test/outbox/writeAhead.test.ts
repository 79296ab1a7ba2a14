import {
  type Brownout,
  type Clock,
  createClient,
  createManualEnvironment,
  createMemoryOutboxStorage,
  createVirtualClock,
  type DependencyOptions,
  getQueuedWrite,
  type Outbox,
  type OutboxEntry,
  type OutboxOptions,
  type OutboxStorage,
  type VirtualClock,
  type WriteState,
} from '../../src/index.js';

const API = 'https://orders.test';

/** What the fake server answers one request with. */
type Answer =
  | number
  | 'down'
  | 'hang'
  | { status: number; afterMs?: number; headers?: Record<string, string>; body?: string };

/** One request as the server saw it; times are the virtual clock's. */
interface Seen {
  readonly at: number;
  endedAt?: number;
  status?: number;
  readonly method: string;
  readonly url: string;
  readonly key: string | null;
  readonly body: string;
  readonly headers: Headers;
  readonly init: RequestInit;
}

/**
 * A server that honours idempotency keys: it records every request, counts 2xx answers per key, and applies
 * a PUT's body to its resource once per key. `afterMs` answers after that much virtual time; `hang` never
 * answers, not even to an abort (a frozen or closed tab's request).
 */
const server = (
  clock: VirtualClock,
  answer: (req: Seen, n: number) => Answer | Promise<Answer> = () => 200,
) => {
  const effects = new Map<string, number>();
  const resources = new Map<string, string>();
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const body =
      init.body == null
        ? ''
        : typeof init.body === 'string'
          ? init.body
          : await new Response(init.body).text();
    const req: Seen = {
      at: clock.now(),
      method: (init.method ?? 'GET').toUpperCase(),
      url: String(input),
      key: headers.get('idempotency-key'),
      body,
      headers,
      init,
    };
    seen.push(req);
    const a = await answer(req, seen.length - 1);
    if (a === 'hang') return new Promise<Response>(() => {});
    if (a === 'down') throw new TypeError('Failed to fetch');
    const { status, afterMs = 0, headers: h = {}, body: text } = typeof a === 'number' ? { status: a } : a;
    if (afterMs > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, afterMs));
    req.endedAt = clock.now();
    req.status = status;
    if (status < 300 && req.key && req.method !== 'GET') {
      const first = !effects.has(req.key);
      effects.set(req.key, (effects.get(req.key) ?? 0) + 1);
      if (first && req.method === 'PUT') resources.set(req.url, body);
    }
    return new Response(text ?? (status < 300 ? '{"ok":true}' : ''), { status, headers: h });
  };
  return { fetch: fetch as typeof globalThis.fetch, effects, resources, seen };
};

interface SetupOptions {
  answer?: (req: Seen, n: number) => Answer | Promise<Answer>;
  storage?: OutboxStorage;
  outbox?: Omit<OutboxOptions, 'storage'>;
  /** The virtual clock the timers run on (and the server's times). */
  clock?: VirtualClock;
  /** The clock the client reads (default: the virtual clock itself). */
  wall?: Clock;
  random?: () => number;
}

const clients: Brownout[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
});

// The breaker is off, so each rule under test is the outbox's alone (the breaker has its own tests).
const queueing: DependencyOptions = {
  baseUrl: API,
  writes: 'queue',
  retry: { maxAttempts: 1 },
  breaker: { consecutiveFailures: Number.POSITIVE_INFINITY, failureRate: Number.POSITIVE_INFINITY },
  timeouts: { headersMs: 10_000, totalMs: 30_000 },
};

const setup = (o: SetupOptions = {}) => {
  const clock = o.clock ?? createVirtualClock(0);
  const s = server(clock, o.answer);
  const storage = o.storage ?? createMemoryOutboxStorage();
  const client: Brownout<'orders' | 'items'> = createClient({
    clock: o.wall ?? clock,
    // Full jitter draws 0.999 of its ceiling: backoffs of ~1 s, 2 s, 4 s… that the tests can name.
    random: o.random ?? (() => 0.999),
    environment: createManualEnvironment(),
    fetch: s.fetch,
    allowedOrigins: [API],
    outbox: {
      storage,
      locks: null,
      backoff: { baseMs: 1_000, capMs: 60_000 },
      getHeaders: () => ({ Authorization: 'Bearer fresh-token' }),
      ...o.outbox,
    },
    dependencies: { orders: queueing, items: { ...queueing, ifMatch: true } },
  });
  clients.push(client);
  const outbox = client.outbox!;
  const put = (url: string, body: unknown, init: { orderKey?: string } = {}) =>
    client.fetch('orders', url, { method: 'PUT', body: JSON.stringify(body), ...init });
  return { clock, client, outbox, storage, put, ...s };
};

/** A memory storage that logs each operation, to see what reached storage and when. */
const loggingStorage = (log: string[], persistence: 'memory' | 'indexeddb' = 'memory') => {
  const base = createMemoryOutboxStorage();
  let failPuts = 0;
  const storage: OutboxStorage = {
    persistence,
    all: () => base.all(),
    put: async (entry, expected) => {
      if (failPuts > 0) {
        failPuts--;
        log.push(`put ${entry.status} failed`);
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      const ok = await base.put(entry, expected);
      log.push(`put ${entry.status}${ok ? '' : ' refused'}`);
      return ok;
    },
    remove: async (id, expected) => {
      log.push('remove');
      return base.remove(id, expected);
    },
  };
  return { storage, base, failNextPuts: (n: number) => (failPuts = n) };
};

/** Collects unhandled rejections for the test's duration (vitest fails on them too; this names them). */
const unhandled = () => {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  onTestFinished(() => {
    process.off('unhandledRejection', listener);
  });
  return seen;
};

const storedEntry = (over: Partial<OutboxEntry> = {}): OutboxEntry => ({
  id: 'e1',
  dependency: 'orders',
  method: 'PUT',
  url: `${API}/items/1`,
  body: { kind: 'text', text: '{"qty":1}' },
  headers: [],
  idempotencyKey: 'key-1',
  createdAt: 0,
  seq: 1,
  version: 1,
  attempts: 1,
  status: 'queued',
  nextAttemptAt: 0,
  waitMs: 0,
  ...over,
});

// ——— 1. Lost update: one order key, one write at a time, in the order made ———

describe('order: writes of one order key take effect in the order made', () => {
  test('a write made while an earlier one waits in the queue is queued behind it (202), not sent; the server gets qty=1 then qty=2', async () => {
    let up = false;
    const { clock, put, seen, resources, storage } = setup({ answer: () => (up ? 200 : 503) });
    const first = await put('/items/1', { qty: 1 });
    expect(first.status).toBe(202);
    const a = getQueuedWrite(first)!.entry;
    expect(seen).toHaveLength(1); // its live attempt, answered 503

    const second = await put('/items/1', { qty: 2 });
    expect(second.status).toBe(202);
    const b = getQueuedWrite(second)!;
    expect(b.position).toBe(2);
    expect(seen).toHaveLength(1); // qty=2 did not go straight out past qty=1

    up = true;
    await clock.advanceAsync(60_000);
    expect(seen.filter((r) => r.status === 200).map((r) => [r.key, r.body])).toEqual([
      [a.idempotencyKey, '{"qty":1}'],
      [b.entry.idempotencyKey, '{"qty":2}'],
    ]);
    expect(resources.get(`${API}/items/1`)).toBe('{"qty":2}');
    expect(await storage.all()).toEqual([]);
  });

  test('two quick live writes to a healthy dependency both get the real answer, and the second waits for the first', async () => {
    const { clock, put, seen, resources } = setup({ answer: () => ({ status: 200, afterMs: 100 }) });
    const both = Promise.all([put('/items/1', { qty: 1 }), put('/items/1', { qty: 2 })]);
    await clock.flush();
    expect(seen).toHaveLength(1); // the second has not left: the first has no answer yet
    await clock.advanceAsync(250);
    const [r1, r2] = await both;
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(getQueuedWrite(r1)).toBeUndefined();
    expect(getQueuedWrite(r2)).toBeUndefined();
    expect(seen.map((r) => r.body)).toEqual(['{"qty":1}', '{"qty":2}']);
    expect(seen[1]!.at).toBeGreaterThanOrEqual(seen[0]!.endedAt!);
    expect(resources.get(`${API}/items/1`)).toBe('{"qty":2}');
  });

  test('when the first of two quick live writes fails, the second queues behind it (202) instead of overtaking it', async () => {
    let up = false;
    const { clock, put, seen, resources } = setup({
      answer: () => (up ? 200 : { status: 503, afterMs: 100 }),
    });
    const both = Promise.all([put('/items/1', { qty: 1 }), put('/items/1', { qty: 2 })]);
    await clock.advanceAsync(100);
    const [r1, r2] = await both;
    expect([r1.status, r2.status]).toEqual([202, 202]);
    expect(seen).toHaveLength(1); // qty=2 never went out while qty=1 was unacknowledged
    up = true;
    await clock.advanceAsync(60_000);
    expect(seen.filter((r) => r.status === 200).map((r) => r.body)).toEqual(['{"qty":1}', '{"qty":2}']);
    expect(resources.get(`${API}/items/1`)).toBe('{"qty":2}');
  });

  test('writes with different orderKeys do not wait for each other: side by side when live, and a queued one does not hold the other back', async () => {
    let itemOneUp = true;
    const { clock, put, seen } = setup({
      answer: (req) => (req.url.endsWith('/items/1') && !itemOneUp ? 503 : { status: 200, afterMs: 100 }),
    });
    const both = Promise.all([
      put('/items/1', { qty: 1 }, { orderKey: 'item-1' }),
      put('/items/2', { qty: 5 }, { orderKey: 'item-2' }),
    ]);
    await clock.flush();
    expect(seen.map((r) => r.url)).toEqual([`${API}/items/1`, `${API}/items/2`]); // both out at once
    await clock.advanceAsync(100);
    expect((await both).map((r) => r.status)).toEqual([200, 200]);

    itemOneUp = false;
    const queued = await put('/items/1', { qty: 2 }, { orderKey: 'item-1' });
    expect(queued.status).toBe(202);
    const other = put('/items/2', { qty: 6 }, { orderKey: 'item-2' });
    await clock.advanceAsync(100);
    expect((await other).status).toBe(200); // the real answer, though item-1 has a write waiting
    expect(getQueuedWrite(await other)).toBeUndefined();
  });
});

// ——— 2. Write-ahead: stored before the first attempt ———

describe('write-ahead: a write is stored before its first request and removed on acknowledgement', () => {
  test('the entry is in storage when the first request reaches the server, and removed after the 2xx', async () => {
    const log: string[] = [];
    const { storage } = loggingStorage(log);
    const atRequest: OutboxEntry[][] = [];
    const { put, seen } = setup({
      storage,
      answer: async () => {
        atRequest.push(await storage.all());
        log.push('request');
        return 200;
      },
    });
    const r = await put('/items/1', { qty: 1 });
    expect(r.status).toBe(200);
    expect(atRequest[0]).toHaveLength(1);
    expect(atRequest[0]![0]).toMatchObject({
      status: 'sending',
      live: true,
      method: 'PUT',
      url: `${API}/items/1`,
      body: { kind: 'text', text: '{"qty":1}' },
      idempotencyKey: seen[0]!.key,
    });
    expect(log).toEqual(['put sending', 'request', 'remove']);
    expect(await storage.all()).toEqual([]);
  });

  test('a live write refused with 400 is removed from storage and the error reaches the caller', async () => {
    const storage = createMemoryOutboxStorage();
    const atRequest: number[] = [];
    const { put, outbox } = setup({
      storage,
      answer: async () => {
        atRequest.push((await storage.all()).length);
        return 400;
      },
    });
    await expect(put('/items/1', { qty: -1 })).rejects.toMatchObject({ kind: 'http', status: 400 });
    expect(atRequest).toEqual([1]);
    expect(await storage.all()).toEqual([]);
    expect(outbox.list()).toEqual([]);
  });

  test('a live write that fails with 503 is kept: the same entry id and key, and the replay carries that key', async () => {
    let up = false;
    const storage = createMemoryOutboxStorage();
    const atRequest: OutboxEntry[][] = [];
    const { clock, put, seen, effects } = setup({
      storage,
      answer: async () => {
        atRequest.push(await storage.all());
        return up ? 200 : 503;
      },
    });
    const r = await put('/items/1', { qty: 1 });
    expect(r.status).toBe(202);
    const live = atRequest[0]![0]!;
    const queued = getQueuedWrite(r)!.entry;
    expect(queued.id).toBe(live.id);
    expect(queued.idempotencyKey).toBe(live.idempotencyKey);
    expect(seen[0]!.key).toBe(live.idempotencyKey);
    expect(await storage.all()).toMatchObject([
      { id: live.id, idempotencyKey: live.idempotencyKey, status: 'queued' },
    ]);

    up = true;
    await clock.advanceAsync(10_000);
    expect(seen.map((s) => s.key)).toEqual([live.idempotencyKey, live.idempotencyKey]);
    expect(effects.get(live.idempotencyKey)).toBe(1);
    expect(await storage.all()).toEqual([]);
  });
});

// ——— 3. No resurrection: storage failures and compare-and-set ———

describe('no resurrection: a delivered write never comes back, a stale copy never wins', () => {
  test('a put that fails once: memory and storage-error, then back to indexeddb after the retry; the delivered write is not in storage', async () => {
    const log: string[] = [];
    const { storage, failNextPuts } = loggingStorage(log, 'indexeddb');
    const { clock, put, outbox, client } = setup({ storage, outbox: { databaseName: 'resurrection-1' } });
    await outbox.ready;
    const errors: unknown[] = [];
    outbox.events.on('storage-error', (e) => errors.push(e.error));
    expect(outbox.persistence).toBe('indexeddb');

    failNextPuts(1);
    const r = await put('/items/1', { qty: 1 });
    expect(r.status).toBe(200); // the write itself went through
    expect(errors).toHaveLength(1);
    expect(outbox.persistence).toBe('memory');
    expect(client.store.getState().outbox.persistence).toBe('memory');

    await clock.advanceAsync(2_000);
    expect(outbox.persistence).toBe('indexeddb');
    expect(client.store.getState().outbox.persistence).toBe('indexeddb');
    expect(await storage.all()).toEqual([]);
    expect(log).toEqual(['put sending failed', 'remove']);
  });

  test('a claim whose put fails, then delivered: the owed remove reaches storage and the old queued copy is gone', async () => {
    let up = false;
    const log: string[] = [];
    const { storage, failNextPuts } = loggingStorage(log, 'indexeddb');
    const { clock, put, outbox, seen, effects } = setup({
      storage,
      answer: () => (up ? 200 : 503),
      outbox: { databaseName: 'resurrection-2' },
    });
    const entry = getQueuedWrite(await put('/items/1', { qty: 1 }))!.entry;
    expect(await storage.all()).toMatchObject([{ id: entry.id, status: 'queued' }]);

    up = true;
    failNextPuts(1); // the replay's claim
    await clock.advanceAsync(999);
    expect(seen.filter((s) => s.status === 200)).toHaveLength(1);
    expect(outbox.persistence).toBe('memory');
    expect(outbox.state(entry.id)).toBe('sent');

    await clock.advanceAsync(2_000);
    expect(outbox.persistence).toBe('indexeddb');
    expect(await storage.all()).toEqual([]);
    await clock.advanceAsync(120_000);
    expect(seen.filter((s) => s.key === entry.idempotencyKey)).toHaveLength(2); // live 503, replay 200
    expect(effects.get(entry.idempotencyKey)).toBe(1);
    expect(log.at(-1)).toBe('remove');
  });

  test('an owed put does not bring back an entry another tab delivered and removed meanwhile', async () => {
    let up = false;
    const log: string[] = [];
    const { storage, base, failNextPuts } = loggingStorage(log, 'indexeddb');
    const { clock, put, outbox } = setup({
      storage,
      answer: () => (up ? 'hang' : 503),
      outbox: { databaseName: 'resurrection-3' },
    });
    const entry = getQueuedWrite(await put('/items/1', { qty: 1 }))!.entry;
    up = true;
    failNextPuts(1); // this tab's claim stays owed
    await clock.advanceAsync(999);
    expect(outbox.persistence).toBe('memory');
    await base.remove(entry.id); // another tab delivered it
    await clock.advanceAsync(2_000);
    expect(await storage.all()).toEqual([]);
    expect(log).toContain('put sending refused');
  });

  test('compare-and-set: a put with the wrong expected version resolves false and stores nothing', async () => {
    const storage = createMemoryOutboxStorage();
    const v1 = storedEntry({ version: 1 });
    expect(await storage.put(v1, undefined)).toBe(true);
    expect(await storage.put({ ...v1, version: 2, status: 'failed' }, 7)).toBe(false);
    expect(await storage.put({ ...v1, version: 2, status: 'failed' }, undefined)).toBe(false); // one is there
    expect(await storage.all()).toEqual([v1]);
    expect(await storage.put({ ...v1, version: 2, status: 'failed' }, 1)).toBe(true);
    expect(await storage.all()).toEqual([{ ...v1, version: 2, status: 'failed' }]);
    expect(await storage.put(storedEntry({ id: 'new' }), 0)).toBe(false); // none there: expected must be undefined
    expect(await storage.all()).toHaveLength(1);
  });

  test('an outbox whose copy is stale does not overwrite the newer stored version (drain, retry, keepMine, resume, reown)', async () => {
    const cases: {
      call: string;
      mine: OutboxEntry['status'];
      theirs: OutboxEntry['status'];
      act: (o: Outbox) => Promise<unknown>;
    }[] = [
      { call: 'wake', mine: 'queued', theirs: 'failed', act: (o) => o.wake('orders') },
      { call: 'retry', mine: 'failed', theirs: 'needs-auth', act: (o) => o.retry('e1') },
      { call: 'keepMine', mine: 'conflict', theirs: 'failed', act: (o) => o.keepMine('e1') },
      { call: 'resume', mine: 'needs-auth', theirs: 'failed', act: (o) => o.resume() },
      { call: 'reown', mine: 'queued', theirs: 'failed', act: (o) => o.reown('e1', 'someone') },
    ];
    for (const { call, mine, theirs, act } of cases) {
      const storage = createMemoryOutboxStorage();
      // Not due for 100 s: nothing replays it before the test acts.
      const copy = storedEntry({ status: mine, nextAttemptAt: 100_000, waitMs: 100_000 });
      await storage.put(copy, undefined);
      const { clock, outbox, seen } = setup({ storage });
      await outbox.ready;
      await clock.flush();
      expect(outbox.state('e1')).toBe(mine);
      // Another writer changed it: the stored version is newer than this outbox's copy.
      const newer: OutboxEntry = {
        ...copy,
        version: 2,
        status: theirs,
        lastProblem: { title: 'Changed elsewhere' },
      };
      expect(await storage.put(newer, 1)).toBe(true);

      await act(outbox);
      await clock.flush();
      expect({ call, stored: await storage.all() }).toEqual({ call, stored: [newer] });
      expect({ call, state: outbox.state('e1') }).toEqual({ call, state: theirs }); // it learnt the newer copy
      expect(seen).toHaveLength(0);
    }
  });

  test('a claim that loses the race to a newer stored copy takes that copy instead of claiming again and again', async () => {
    const base = createMemoryOutboxStorage();
    let refused = 0;
    const storage: OutboxStorage = {
      persistence: 'memory',
      all: () => base.all(),
      put: async (entry, expected) => {
        // One real turn per write, as IndexedDB takes: a claim retried without end cannot starve the test's timeout.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const ok = await base.put(entry, expected);
        if (!ok) refused++;
        return ok;
      },
      remove: (id) => base.remove(id),
    };
    const { outbox, seen } = setup({ storage });
    await outbox.ready;
    // Never tried (no retry budget spent on it), due now; its timer waits for the virtual clock, which stands still.
    const { entry } = await outbox.enqueue({
      dependency: 'orders',
      method: 'PUT',
      url: `${API}/items/1`,
      body: { kind: 'text', text: '{"qty":1}' },
      headers: new Headers(),
      idempotencyKey: 'key-race',
    });
    const newer: OutboxEntry = {
      ...entry,
      version: entry.version + 1,
      status: 'failed',
      lastProblem: { title: 'Refused in another tab' },
    };
    expect(await base.put(newer, entry.version)).toBe(true);

    await outbox.drain();
    expect(await base.all()).toEqual([newer]);
    expect(outbox.state(entry.id)).toBe('failed');
    expect(refused).toBeLessThanOrEqual(2);
    expect(seen).toHaveLength(0);
  });

  // A discard is compare-and-set on the version this tab saw: a write another tab claimed is not deleted.
  test('a stale copy cannot discard a write another tab is sending: the newer stored claim stays', async () => {
    const storage = createMemoryOutboxStorage();
    await storage.put(storedEntry({ nextAttemptAt: 100_000, waitMs: 100_000 }), undefined);
    const { clock, outbox } = setup({ storage });
    await outbox.ready;
    await clock.flush();
    expect(outbox.state('e1')).toBe('queued');
    const claimed: OutboxEntry = {
      ...storedEntry(),
      version: 2,
      status: 'sending',
      attempts: 2,
      tab: 'another-tab',
      leaseUntil: 30_000,
    };
    expect(await storage.put(claimed, 1)).toBe(true);
    await outbox.discard('e1');
    expect(await storage.all()).toEqual([claimed]);
    expect(outbox.state('e1')).not.toBe('discarded');
  });
});

// ——— 4. Backoff counted from the end of the failed attempt ———

test('replays that take 3 s to fail are resent after gaps of ≈1 s, 2 s, 4 s from the end of each failure', async () => {
  const { clock, put, seen } = setup({ answer: () => ({ status: 503, afterMs: 3_000 }) });
  const pending = put('/items/1', { qty: 1 });
  await clock.advanceAsync(3_000);
  expect((await pending).status).toBe(202);
  await clock.advanceAsync(30_000);
  expect(seen.length).toBeGreaterThanOrEqual(4);
  // Full jitter with random 0.999: 0.999 · base · 2ⁿ, counted from the end of each failed attempt.
  const gaps = seen.slice(1, 4).map((r, i) => r.at - seen[i]!.endedAt!);
  gaps.forEach((gap, n) => {
    expect(Math.abs(gap - 0.999 * 1_000 * 2 ** n)).toBeLessThanOrEqual(1);
  });
});

// ——— 5. Stranded: nothing stays stuck ———

describe('stranded: a replay that cannot start goes back to the queue or to failed, never stuck', () => {
  test('getHeaders rejecting once puts the entry back to queued (not stuck sending), says credentials, and it is sent later', async () => {
    const rejections = unhandled();
    let up = false;
    let calls = 0;
    const { clock, put, outbox, seen } = setup({
      answer: () => (up ? 200 : 503),
      outbox: {
        getHeaders: () =>
          calls++ === 0
            ? Promise.reject(new Error('token refresh failed'))
            : { Authorization: 'Bearer fresh' },
      },
    });
    const entry = getQueuedWrite(await put('/items/1', { qty: 1 }))!.entry;
    const states: WriteState[] = [];
    outbox.watch(entry.id, (s) => states.push(s));
    up = true;
    await clock.advanceAsync(1_500);
    expect(calls).toBe(1);
    expect(outbox.state(entry.id)).toBe('queued');
    expect(outbox.list()[0]!.lastProblem?.title).toMatch(/credentials/i);
    expect(seen).toHaveLength(1); // only the live attempt: the replay never left without its credentials

    await clock.advanceAsync(10_000);
    expect(seen.map((s) => [s.key, s.headers.get('authorization')])).toEqual([
      [entry.idempotencyKey, null],
      [entry.idempotencyKey, 'Bearer fresh'],
    ]);
    expect(states).toEqual(['sending', 'queued', 'sending', 'sent']);
    await clock.flush();
    expect(rejections).toEqual([]);
  });

  test('a stored entry for a dependency the client does not declare becomes failed (outbox.unknown-dependency)', async () => {
    const rejections = unhandled();
    const storage = createMemoryOutboxStorage();
    await storage.put(storedEntry({ id: 'legacy-1', dependency: 'legacy' }), undefined);
    const { clock, outbox, seen } = setup({ storage });
    await outbox.ready;
    await clock.advanceAsync(1_000);
    expect(outbox.list()).toMatchObject([
      { id: 'legacy-1', status: 'failed', lastProblem: { code: 'outbox.unknown-dependency' } },
    ]);
    expect(await storage.all()).toMatchObject([{ id: 'legacy-1', status: 'failed' }]);
    expect(seen).toHaveLength(0);
    await clock.flush();
    expect(rejections).toEqual([]);
  });
});

// ——— 6. Orphans: a tab that went away mid-send ———

test('a write claimed by a tab that went away mid-send is sent by an idle tab after the lease, with the same key, once', async () => {
  const clock = createVirtualClock(0);
  const base = createMemoryOutboxStorage();
  // One storage object for both "tabs", shared as IndexedDB would be.
  const shared: OutboxStorage = { ...base, persistence: 'indexeddb' };
  const options = { locks: null, leaseMs: 30_000, databaseName: 'orphans' };
  const b = setup({ clock, storage: shared, outbox: options, answer: () => 201 });
  await b.outbox.ready;
  const a = setup({ clock, storage: shared, outbox: options, answer: () => 'hang' });
  await a.outbox.ready;

  void a.put('/items/1', { qty: 1 }); // its fetch never resolves
  await clock.flush();
  const [claimed] = await shared.all();
  expect(claimed).toMatchObject({ status: 'sending', tab: a.outbox.tab });
  expect(a.seen.map((r) => r.key)).toEqual([claimed!.idempotencyKey]);
  expect(b.outbox.state(claimed!.id)).toBe('sending'); // B heard of the claim (A's broadcast), without a drain()
  a.client.dispose(); // the tab is gone mid-send

  await clock.advanceAsync(29_000);
  expect(b.seen).toHaveLength(0); // the lease still holds
  await clock.advanceAsync(1_500); // no drain() call: B's own timer picks it up
  expect(b.seen.map((r) => r.key)).toEqual([claimed!.idempotencyKey]);
  await clock.advanceAsync(120_000);
  expect(b.seen).toHaveLength(1);
  expect(b.effects.get(claimed!.idempotencyKey)).toBe(1);
  expect(await shared.all()).toEqual([]);
  expect(b.outbox.state(claimed!.id)).toBe('sent');
});

// ——— 7. Clock step ———

/** A clock whose wall reading (`now()`) can be stepped while its timers stay on the virtual clock. */
const steppable = (virtual: VirtualClock, { monotonic }: { monotonic: boolean }) => {
  let offset = 0;
  const wall = {
    now: () => virtual.now() + offset,
    setTimeout: (callback: () => void, ms: number) => virtual.setTimeout(callback, ms),
    clearTimeout: (handle: unknown) => virtual.clearTimeout(handle),
    // What a browser's performance.now() is: timer time, which a step of the system clock does not move.
    ...(monotonic ? { monotonic: () => virtual.now() } : {}),
  };
  const clock: Clock = wall;
  return { clock, step: (ms: number) => (offset += ms) };
};

test('a wall clock stepped back an hour right after a write is queued does not stretch its 1 s backoff: sent within the cap', async () => {
  const virtual = createVirtualClock(Date.UTC(2026, 0, 1));
  const { clock, step } = steppable(virtual, { monotonic: false });
  let up = false;
  const { put, seen } = setup({ clock: virtual, wall: clock, answer: () => (up ? 200 : 503) });
  const entry = getQueuedWrite(await put('/items/1', { qty: 1 }))!.entry;
  expect(entry.waitMs).toBeCloseTo(999, 0);
  up = true;
  step(-3_600_000);
  const steppedAt = virtual.now();
  await virtual.advanceAsync(60_000);
  const replay = seen.find((r) => r.status === 200);
  expect(replay?.key).toBe(entry.idempotencyKey);
  expect(replay!.at - steppedAt).toBeLessThanOrEqual(60_000);
});

test('a wall clock stepped back an hour while the replayer waits out a 1 s backoff: the write is still sent about 1 s later', async () => {
  const virtual = createVirtualClock(Date.UTC(2026, 0, 1));
  const { clock, step } = steppable(virtual, { monotonic: true });
  let up = false;
  const { put, seen, outbox } = setup({ clock: virtual, wall: clock, answer: () => (up ? 200 : 503) });
  const entry = getQueuedWrite(await put('/items/1', { qty: 1 }))!.entry;
  const queuedAt = virtual.now();
  await outbox.drain(); // the replayer has seen the wait and is timing it
  await virtual.advanceAsync(500);
  up = true;
  step(-3_600_000);
  await virtual.advanceAsync(60_000);
  const replay = seen.find((r) => r.status === 200);
  expect(replay?.key).toBe(entry.idempotencyKey);
  expect(replay!.at - queuedAt).toBeLessThanOrEqual(60_000);
  expect(Math.abs(replay!.at - queuedAt - 999)).toBeLessThanOrEqual(1);
});

// ——— 8. needs-auth ———

test('a replay answered 401 waits in needs-auth and pauses its dependency; resume() sends both, in order, once, with fresh headers', async () => {
  let phase: 'down' | 'unauthorized' | 'up' = 'down';
  let token = 'expired';
  const { clock, put, outbox, seen } = setup({
    answer: () => (phase === 'down' ? 503 : phase === 'unauthorized' ? 401 : 200),
    outbox: { getHeaders: () => ({ Authorization: `Bearer ${token}` }) },
  });
  const events: string[] = [];
  outbox.events.on('needs-auth', (e) => events.push(`needs-auth ${e.entry.id}`));
  outbox.events.on('failed', (e) => events.push(`failed ${e.entry.id}`));
  const a = getQueuedWrite(await put('/items/1', { qty: 1 }))!.entry;
  const b = getQueuedWrite(await put('/items/1', { qty: 2 }))!.entry;
  phase = 'unauthorized';
  await clock.advanceAsync(2_000);
  expect(outbox.state(a.id)).toBe('needs-auth');
  expect(events).toEqual([`needs-auth ${a.id}`]);
  expect(outbox.summary('orders')).toMatchObject({ needsAuth: 1, queued: 1, failed: 0 });

  const before = seen.length;
  await clock.advanceAsync(300_000);
  expect(seen).toHaveLength(before); // paused: neither a nor b is sent
  expect(outbox.state(b.id)).toBe('queued');

  phase = 'up';
  token = 'renewed';
  await outbox.resume();
  await clock.advanceAsync(10_000);
  const after = seen.slice(before);
  expect(after.map((r) => [r.key, r.body, r.headers.get('authorization')])).toEqual([
    [a.idempotencyKey, '{"qty":1}', 'Bearer renewed'],
    [b.idempotencyKey, '{"qty":2}', 'Bearer renewed'],
  ]);
  expect([outbox.state(a.id), outbox.state(b.id)]).toEqual(['sent', 'sent']);
});

// ——— 9. Conflicts ———

describe('conflicts: a write based on an old version is not applied silently', () => {
  const problem = (title: string) =>
    JSON.stringify({ type: 'https://orders.test/problems/changed', title, status: 412 });

  /** A server for /items/*: GETs answer with an ETag, PUTs with If-Match get 412 once it is 'changed'. */
  const items = () => {
    const state = { phase: 'up' as 'up' | 'down' | 'changed' };
    const answer = (req: Seen): Answer => {
      if (req.method === 'GET') {
        return { status: 200, headers: { ETag: `"v1-${req.url.slice(-1)}"` }, body: '{"qty":0}' };
      }
      if (state.phase === 'down') return 503;
      if (state.phase === 'changed' && req.headers.has('if-match')) {
        return {
          status: 412,
          headers: { 'content-type': 'application/problem+json' },
          body: problem(`Item ${req.url.slice(-1)} was changed by someone else`),
        };
      }
      return 200;
    };
    return { state, answer };
  };

  test('a queued PUT carries If-Match from its read; a 412 on replay is a conflict with the server title; keepMine resends once without If-Match under a new key', async () => {
    const server = items();
    const { clock, client, outbox, seen } = setup({ answer: server.answer });
    await (await client.fetch('items', '/items/1')).text();
    server.state.phase = 'down';
    const response = await client.fetch('items', '/items/1', { method: 'PUT', body: '{"qty":1}' });
    const entry = getQueuedWrite(response)!.entry;
    expect(entry.headers).toContainEqual(['if-match', '"v1-1"']);

    const conflicts: OutboxEntry[] = [];
    outbox.events.on('conflict', (e) => conflicts.push(e.entry));
    server.state.phase = 'changed';
    await clock.advanceAsync(5_000);
    const replay = seen.at(-1)!;
    expect(replay.headers.get('if-match')).toBe('"v1-1"');
    expect(replay.key).toBe(entry.idempotencyKey);
    expect(replay.status).toBe(412);
    expect(outbox.state(entry.id)).toBe('conflict');
    expect(conflicts.map((e) => e.id)).toEqual([entry.id]);
    expect(outbox.list()[0]!.lastProblem).toMatchObject({
      status: 412,
      title: 'Item 1 was changed by someone else',
    });

    const before = seen.length;
    await outbox.keepMine(entry.id);
    await clock.advanceAsync(60_000);
    const resent = seen.slice(before);
    expect(resent).toHaveLength(1);
    expect(resent[0]!.headers.has('if-match')).toBe(false);
    expect(resent[0]!.key).not.toBe(entry.idempotencyKey);
    expect(resent[0]!.status).toBe(200);
    expect(outbox.state(entry.id)).toBe('sent');
  });

  test('acceptTheirs on a conflict removes the write and emits discarded with reason theirs', async () => {
    const server = items();
    const { clock, client, outbox, storage, seen } = setup({ answer: server.answer });
    await (await client.fetch('items', '/items/2')).text();
    server.state.phase = 'down';
    const entry = getQueuedWrite(
      await client.fetch('items', '/items/2', { method: 'PUT', body: '{"qty":9}' }),
    )!.entry;
    server.state.phase = 'changed';
    await clock.advanceAsync(5_000);
    expect(outbox.state(entry.id)).toBe('conflict');

    const discarded: { id: string; reason: string }[] = [];
    outbox.events.on('discarded', (e) => discarded.push({ id: e.entry.id, reason: e.reason }));
    const before = seen.length;
    await outbox.acceptTheirs(entry.id);
    expect(discarded).toEqual([{ id: entry.id, reason: 'theirs' }]);
    expect(outbox.state(entry.id)).toBe('discarded');
    expect(await storage.all()).toEqual([]);
    await clock.advanceAsync(60_000);
    expect(seen).toHaveLength(before);
  });

  test('a 409 on a write without a precondition backs off and resends the same key: not a conflict', async () => {
    let phase: 'down' | 'in-flight' | 'up' = 'down';
    const { clock, put, outbox, seen } = setup({
      answer: () => {
        if (phase === 'down') return 503;
        if (phase === 'in-flight') {
          phase = 'up';
          return 409;
        }
        return 200;
      },
    });
    const conflicts: string[] = [];
    outbox.events.on('conflict', (e) => conflicts.push(e.entry.id));
    const entry = getQueuedWrite(await put('/items/1', { qty: 1 }))!.entry;
    phase = 'in-flight';
    await clock.advanceAsync(999);
    expect(seen.at(-1)!.status).toBe(409);
    expect(outbox.state(entry.id)).toBe('queued');
    await clock.advanceAsync(60_000);
    expect(seen.map((r) => [r.key, r.status])).toEqual([
      [entry.idempotencyKey, 503],
      [entry.idempotencyKey, 409],
      [entry.idempotencyKey, 200],
    ]);
    expect(seen[2]!.at - seen[1]!.endedAt!).toBeGreaterThanOrEqual(1_000); // a backoff, not at once
    expect(conflicts).toEqual([]);
    expect(outbox.state(entry.id)).toBe('sent');
  });
});

// ——— 10. pagehide ———

test('pagehide sends the next queued write once with keepalive under its key, and keeps it stored for the next load', async () => {
  let up = false;
  const storage = createMemoryOutboxStorage();
  const { clock, put, seen } = setup({
    storage,
    answer: () => (up ? 200 : 503),
    outbox: { backoff: { baseMs: 10_000, capMs: 60_000 } },
  });
  const entry = getQueuedWrite(await put('/items/1', { qty: 1 }))!.entry;
  up = true; // back up, but its replay is not due for ~10 s
  await clock.advanceAsync(1_000);
  expect(seen).toHaveLength(1);

  window.dispatchEvent(new Event('pagehide'));
  await clock.flush();
  expect(seen).toHaveLength(2);
  expect(seen[1]!.init.keepalive).toBe(true);
  expect(seen[1]!.key).toBe(entry.idempotencyKey);
  expect(seen[1]!.body).toBe('{"qty":1}');
  expect(await storage.all()).toMatchObject([
    { id: entry.id, idempotencyKey: entry.idempotencyKey, status: 'queued' },
  ]);

  // The next load resends it with the same key (the server applies it once).
  for (const client of clients.splice(0)) client.dispose();
  const next = setup({ clock, storage });
  await clock.advanceAsync(60_000);
  expect(next.seen.map((r) => r.key)).toEqual([entry.idempotencyKey]);
  expect(next.seen[0]!.init.keepalive).toBeUndefined();
  expect(await storage.all()).toEqual([]);
});

// ——— 11. What became of a write ———

describe('state: watch, state and settled say what became of a write', () => {
  test('watch reports sending → queued → sending → sent; state() is sent after; settled() resolves sent', async () => {
    const answers = [503, 503, 200];
    const { clock, put, outbox } = setup({ answer: () => answers.shift() ?? 200 });
    const entry = getQueuedWrite(await put('/items/1', { qty: 1 }))!.entry;
    expect(outbox.state(entry.id)).toBe('queued');
    const states: WriteState[] = [];
    outbox.watch(entry.id, (s) => states.push(s));
    const settled = outbox.settled(entry.id);
    await clock.advanceAsync(60_000);
    expect(states).toEqual(['sending', 'queued', 'sending', 'sent']);
    expect(outbox.state(entry.id)).toBe('sent');
    await expect(settled).resolves.toBe('sent');
    await expect(outbox.settled(entry.id)).resolves.toBe('sent');
  });

  test('a discarded write: watch reports discarded, state() is discarded, settled() resolves discarded', async () => {
    const { put, outbox, storage } = setup({ answer: () => 503 });
    const entry = getQueuedWrite(await put('/items/1', { qty: 1 }))!.entry;
    const states: WriteState[] = [];
    outbox.watch(entry.id, (s) => states.push(s));
    const settled = outbox.settled(entry.id);
    await outbox.discard(entry.id);
    expect(states).toEqual(['discarded']);
    expect(outbox.state(entry.id)).toBe('discarded');
    await expect(settled).resolves.toBe('discarded');
    expect(await storage.all()).toEqual([]);
  });
});

// ——— 12. The outbox's retry budget ———

test('the outbox budget bounds replays of many failing writes: at most ratio·writes + minPerSecond·window in a minute', async () => {
  const budget = { ratio: 0.5, minPerSecond: 0.2, windowMs: 60_000 };
  const replaysInMinutes = async (options: typeof budget) => {
    const { clock, put, seen } = setup({ answer: () => 503, outbox: { budget: options } });
    for (let i = 0; i < 30; i++) {
      expect((await put(`/items/${i}`, { qty: i }, { orderKey: `item-${i}` })).status).toBe(202);
    }
    expect(seen).toHaveLength(30); // the live attempts, at 0
    await clock.advanceAsync(120_000);
    const replays = seen.slice(30);
    return [
      replays.filter((r) => r.at < 60_000).length,
      replays.filter((r) => r.at >= 60_000 && r.at < 120_000).length,
    ] as const;
  };
  // Each write made adds ratio (15 in all), the floor adds minPerSecond · window (12); no write is delivered.
  const [first, second] = await replaysInMinutes(budget);
  expect(first).toBeGreaterThan(0);
  expect(first).toBeLessThanOrEqual(30 * budget.ratio + (budget.minPerSecond * budget.windowMs) / 1000);
  // The second minute has no new writes in its window: the floor alone.
  expect(second).toBeLessThanOrEqual((budget.minPerSecond * budget.windowMs) / 1000);
  // The same writes with a budget that does not bind replay far more often: the bound is the budget's doing.
  const [unbounded] = await replaysInMinutes({ ratio: 100, minPerSecond: 100, windowMs: 60_000 });
  expect(unbounded).toBeGreaterThan(27 * 2);
});

test('dispose() mid-send (a reload, a hot update) keeps the write stored: the next client sends it, same key, once', async () => {
  const storage = createMemoryOutboxStorage();
  // A real fetch: it rejects when its signal aborts.
  const first = setup({
    storage,
    answer: (req) =>
      new Promise<Answer>((_, reject) =>
        req.init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      ),
  });
  const call = first.put('/orders/1', { qty: 1 });
  const outcome = call.then(
    () => 'resolved',
    (e: { code?: string }) => e.code,
  );
  await first.clock.flush();
  expect(first.seen).toHaveLength(1);
  first.client.dispose();
  expect(await outcome).toBe('aborted.disposed');
  const kept = await storage.all();
  expect(kept.map((e) => e.status)).toEqual(['sending']);
  // The next page: the old claim's tab is gone (no renewal for a lease), so it is sent again under its key.
  const next = setup({ storage, clock: first.clock, answer: () => 200 });
  await next.outbox.ready;
  for (let i = 0; i < 20 && (await storage.all()).length > 0; i++) await next.clock.advanceAsync(5_000);
  expect(next.seen.map((r) => r.key)).toEqual([kept[0]!.idempotencyKey]);
  expect(await storage.all()).toEqual([]);
});
