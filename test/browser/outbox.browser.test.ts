// Real Chromium, real IndexedDB, real page reloads and two pages at once: a queued write has one effect.
import { createIndexedDbOutboxStorage } from '../../src/index.js';

interface Server {
  up: boolean;
  /** Accept the request (apply its effect) but never answer: the page "closes" before the acknowledgement. */
  swallow: boolean;
  /** How long each answer takes: long enough for two pages to overlap. */
  delayMs: number;
  requests: Map<string, number>;
  effects: Set<string>;
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

const server = (): Server => {
  const s: Server = {
    up: false,
    swallow: false,
    delayMs: 0,
    requests: new Map(),
    effects: new Set(),
    fetch: async (_input, init = {}) => {
      if (!s.up) throw new TypeError('Failed to fetch');
      const key = new Headers(init.headers).get('idempotency-key') ?? 'none';
      s.requests.set(key, (s.requests.get(key) ?? 0) + 1);
      // A server that honours Idempotency-Key applies each key once.
      s.effects.add(key);
      if (s.swallow) return new Promise<Response>(() => {});
      if (s.delayMs) await new Promise((resolve) => setTimeout(resolve, s.delayMs));
      return new Response('{"ok":true}', { status: 201 });
    },
  };
  (window as unknown as { __server: Server }).__server = s;
  return s;
};

const messages: Record<string, unknown>[] = [];
const waiters: (() => void)[] = [];
window.addEventListener('message', (e) => {
  messages.push(e.data as Record<string, unknown>);
  for (const w of waiters.splice(0)) w();
});
const nextFrom = async (frame: string) => {
  for (;;) {
    const i = messages.findIndex((m) => m.frame === frame);
    if (i >= 0) return messages.splice(i, 1)[0]!;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
};
const open = (frame: string, mode: string, extra = '') => {
  const iframe = document.createElement('iframe');
  iframe.src = `/test/browser/fixtures/outbox.html?frame=${frame}&mode=${mode}${extra}`;
  document.body.append(iframe);
  return iframe;
};
const navigate = (iframe: HTMLIFrameElement, frame: string, mode: string) => {
  iframe.contentWindow!.location.href = `/test/browser/fixtures/outbox.html?frame=${frame}&mode=${mode}`;
};

beforeEach(async () => {
  const storage = createIndexedDbOutboxStorage('brownout-outbox-browser-test');
  for (const e of await storage.all()) await storage.remove(e.id);
  messages.length = 0;
  document.body.innerHTML = '';
});

test('queued while down, the page reloads, the write is replayed exactly once', async () => {
  const s = server();
  const frame = open('a', 'write', '&n=3');
  const written = await nextFrom('a');
  expect(written).toMatchObject({ persistence: 'indexeddb' });
  expect((written.ids as unknown[]).every(Boolean)).toBe(true);
  expect(await createIndexedDbOutboxStorage('brownout-outbox-browser-test').all()).toHaveLength(3);

  s.up = true;
  navigate(frame, 'a', 'replay'); // a new document: new client, new IndexedDB connection
  expect(await nextFrom('a')).toMatchObject({ left: 0 });
  expect(s.effects.size).toBe(3);
  expect([...s.requests.values()]).toEqual([1, 1, 1]);

  navigate(frame, 'a', 'replay');
  expect(await nextFrom('a')).toMatchObject({ left: 0 });
  expect([...s.requests.values()]).toEqual([1, 1, 1]);
});

test('the page closes between send and acknowledgement: resent with the same key, one effect', async () => {
  const s = server();
  const frame = open('b', 'write');
  await nextFrom('b');
  s.up = true;
  s.swallow = true;
  navigate(frame, 'b', 'replay');
  await expect.poll(() => s.requests.size).toBe(1);
  // The request reached the server; the page goes away before the answer.
  s.swallow = false;
  navigate(frame, 'b', 'replay');
  expect(await nextFrom('b')).toMatchObject({ left: 0 });
  expect(s.effects.size).toBe(1);
  expect([...s.requests.values()]).toEqual([2]);
});

test('two pages recover at once: one replays, each write is sent once', async () => {
  const s = server();
  open('w', 'write', '&n=5');
  await nextFrom('w');
  s.up = true;
  s.delayMs = 40;
  open('x', 'replay');
  open('y', 'replay');
  const [x, y] = await Promise.all([nextFrom('x'), nextFrom('y')]);
  expect(x).toMatchObject({ left: 0 });
  expect(y).toMatchObject({ left: 0 });
  expect(s.effects.size).toBe(5);
  expect([...s.requests.values()]).toEqual([1, 1, 1, 1, 1]);
});

test('IndexedDB unavailable (blocked by the browser): the outbox keeps writes in memory and reports it', async () => {
  const { createClient, getQueuedWrite } = await import('../../src/index.js');
  vi.stubGlobal('indexedDB', undefined);
  try {
    const client = createClient({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
      shareHealth: false,
      outbox: { databaseName: 'brownout-outbox-blocked-test' },
      dependencies: {
        orders: { baseUrl: `${location.origin}/api`, writes: 'queue', retry: { maxAttempts: 1 } },
      },
    });
    await client.outbox!.ready;
    const r = await client.fetch('orders', '/orders', { method: 'POST', body: '{}' });
    expect(getQueuedWrite(r)).toBeDefined();
    expect(client.store.getState().outbox).toMatchObject({
      persistence: 'memory',
      dependencies: { orders: { queued: 1 } },
    });
    client.dispose();
  } finally {
    vi.unstubAllGlobals();
  }
});
