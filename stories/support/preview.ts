// A real Brownout client on a frozen virtual clock, with a fake backend per dependency, so every state of
// the UI kit can be reached with real calls (breakers really open, values really come from the cache,
// writes really wait in the outbox) and rendered the same way every time. Used by the stories and the
// kit's tests.
import {
  type Brownout,
  createClient,
  createManualEnvironment,
  createMemoryOutboxStorage,
  createVirtualClock,
  type ManualEnvironment,
  type OutboxStorage,
  type OutboxSummary,
  type VirtualClock,
} from '../../src/index.js';

/** What the server says when a write's `If-Match: "v1"` no longer matches (mode `changed`). */
export const CHANGED_PROBLEM = {
  title: 'Someone else changed this order',
  detail: 'The order was updated at 14:02 by another device.',
  status: 412,
} as const;

/** 28 Nov 2026, 12:00 UTC: the frozen "now" of every preview. */
export const PREVIEW_NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

export type PreviewDependency = 'pricing' | 'reviews' | 'recommendations' | 'orders' | 'auth';
/**
 * How a fake dependency answers: up (200 JSON), down (503), busy (429 asking to wait 30 s), slow (200 after
 * 20 s), changed (412 with the server's problem JSON to a request that carries `If-Match: "v1"`, as if
 * another device had changed the order since; up to anything else), a status, or never.
 */
export type PreviewMode = 'up' | 'down' | 'busy' | 'slow' | 'changed' | 'hang' | number;

export interface Preview {
  readonly client: Brownout<PreviewDependency>;
  readonly clock: VirtualClock;
  /** Online or offline, visible or hidden: the preview's page, set by hand. */
  readonly environment: ManualEnvironment;
  /** Requests each dependency received. */
  readonly calls: Record<PreviewDependency, number>;
  /** Writes that took effect, per idempotency key (a replayed write must count 1). */
  readonly effects: Map<string, number>;
  set(dependency: PreviewDependency, mode: PreviewMode): void;
  /** A GET that may fail (its error is swallowed: the store shows it). */
  read(dependency: PreviewDependency, path?: string): Promise<void>;
  /** A POST that may be queued, with the app's own headers (e.g. `If-Match`). */
  write(dependency: PreviewDependency, body?: unknown, headers?: Record<string, string>): Promise<void>;
  /** Moves the clock, running timers and the promises they start. */
  advance(ms: number): Promise<void>;
}

const MINUTE = 60_000;

export interface PreviewOptions {
  /** `memory` shows the kit's "kept only in this tab" warning. @default 'indexeddb' (simulated) */
  persistence?: 'indexeddb' | 'memory';
}

const dependency = <T extends object>(name: PreviewDependency, openMs: number, policy: T) => ({
  baseUrl: `https://shop.test/${name}`,
  retry: { maxAttempts: 1 },
  breaker: { consecutiveFailures: 1, openMs },
  ...policy,
});

/** Makes a preview client; nothing runs until you call it. */
export function createPreview(options: PreviewOptions = {}): Preview {
  const clock = createVirtualClock(PREVIEW_NOW);
  const environment = createManualEnvironment();
  const modes: Record<PreviewDependency, PreviewMode> = {
    pricing: 'up',
    reviews: 'up',
    recommendations: 'up',
    orders: 'up',
    auth: 'up',
  };
  const calls: Record<PreviewDependency, number> = {
    pricing: 0,
    reviews: 0,
    recommendations: 0,
    orders: 0,
    auth: 0,
  };
  const effects = new Map<string, number>();
  let n = 0;
  const memory = createMemoryOutboxStorage();
  // The same memory storage under the name IndexedDB: the preview must not write to the real database.
  const storage: OutboxStorage =
    options.persistence === 'memory'
      ? memory
      : { persistence: 'indexeddb', all: memory.all, put: memory.put, remove: memory.remove };
  const client = createClient({
    clock,
    random: () => 0.5,
    shareHealth: false,
    allowedOrigins: ['https://shop.test'],
    outbox: { storage },
    environment,
    fetch: (input, init) => {
      // Offline, nothing gets through (as a browser's fetch rejects with a TypeError).
      if (!environment.online()) return Promise.reject(new TypeError('Failed to fetch'));
      const url = new URL(input instanceof Request ? input.url : String(input));
      const dependency = url.pathname.split('/')[1] as PreviewDependency;
      calls[dependency]++;
      const mode = modes[dependency];
      if (mode === 'hang') {
        return new Promise((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true }),
        );
      }
      if (mode === 'slow') {
        return new Promise<Response>((resolve, reject) => {
          const timer = clock.setTimeout(() => resolve(Response.json({ ok: true, n: ++n })), 20_000);
          init?.signal?.addEventListener(
            'abort',
            () => {
              clock.clearTimeout(timer);
              reject(init.signal?.reason);
            },
            { once: true },
          );
        });
      }
      if (mode === 'busy') {
        return Promise.resolve(
          Response.json(
            { type: 'about:blank', title: 'Too Many Requests', status: 429 },
            { status: 429, headers: { 'content-type': 'application/problem+json', 'retry-after': '30' } },
          ),
        );
      }
      if (mode === 'changed' && new Headers(init?.headers).get('if-match') === '"v1"') {
        return Promise.resolve(
          Response.json(CHANGED_PROBLEM, {
            status: 412,
            headers: { 'content-type': 'application/problem+json' },
          }),
        );
      }
      const status = mode === 'up' || mode === 'changed' ? 200 : mode === 'down' ? 503 : mode;
      if (status < 400) {
        const key = new Headers(init?.headers).get('idempotency-key');
        if (key && init?.method === 'POST') effects.set(key, (effects.get(key) ?? 0) + 1);
        return Promise.resolve(Response.json({ ok: true, n: ++n }));
      }
      const correlationId = `4bf92f3577b34da6a3ce929d0e0e47${String(36 + (n++ % 60)).padStart(2, '0')}`;
      return Promise.resolve(
        Response.json(
          { type: 'about:blank', title: status === 503 ? 'Service Unavailable' : 'Request failed', status },
          {
            status,
            headers: { 'content-type': 'application/problem+json', 'x-correlation-id': correlationId },
          },
        ),
      );
    },
    // One try per call and a breaker that opens on the first failure: each state is one call away.
    dependencies: {
      pricing: dependency('pricing', 12_000, { reads: 'cache', maxStaleMs: 60 * MINUTE }),
      reviews: dependency('reviews', 30_000, { criticality: 'optional' }),
      recommendations: dependency('recommendations', 30_000, { criticality: 'optional' }),
      orders: dependency('orders', 20_000, { writes: 'queue' }),
      auth: dependency('auth', 45_000, { criticality: 'critical' }),
    },
  });
  return {
    client,
    clock,
    environment,
    calls,
    effects,
    set: (dependency, mode) => {
      modes[dependency] = mode;
    },
    async read(dependency, path = '/items') {
      try {
        await (await client.fetch(dependency, path)).text();
      } catch {
        // The store records the failure; the preview only drives it.
      }
    },
    async write(dependency, body = { sku: 'mug-blue', qty: 1 }, headers = {}) {
      try {
        const init = { method: 'POST', body: JSON.stringify(body), headers };
        await (await client.fetch(dependency, '/', init)).text();
      } catch {
        // idem
      }
    },
    advance: (ms) => clock.advanceAsync(ms),
  };
}

/** The states the kit shows, each reached with real calls on the preview's clock. */
export type PreviewState =
  | 'normal'
  | 'partial'
  | 'minimal'
  | 'cached'
  | 'maintenance'
  | 'expired'
  | 'queued'
  | 'sending'
  | 'failed'
  | 'needs-auth'
  | 'conflict'
  | 'countdown'
  | 'offline'
  | 'several'
  | 'slow'
  | 'busy';

/**
 * Orders is back: its breaker closes and the outbox replays, in order, until `done` says the state is
 * reached (or after 100 turns, when it never is).
 */
async function replayOrders(p: Preview, done: (summary: OutboxSummary) => boolean): Promise<void> {
  p.client.breaker('orders').reset();
  const reached = () => {
    const s = p.client.outbox?.summary('orders');
    return s !== undefined && done(s);
  };
  // In a browser the outbox takes a Web Lock first: give it real turns of the event loop too.
  for (let i = 0; i < 100 && !reached(); i++) {
    await p.advance(0);
    await new Promise((resolve) => globalThis.setTimeout(resolve, 0));
  }
}

/** Drives a preview into `state`; the clock ends at {@link PREVIEW_NOW} + 14 minutes or later. */
export async function reach(p: Preview, state: PreviewState): Promise<void> {
  await p.read('pricing');
  await p.advance(14 * MINUTE);
  switch (state) {
    case 'normal':
      await p.read('pricing');
      return;
    case 'partial':
      p.set('reviews', 'down');
      await p.read('reviews');
      return;
    case 'cached':
    case 'countdown':
      p.set('pricing', 'down');
      await p.read('pricing');
      if (state === 'countdown') await p.advance(0);
      return;
    case 'expired':
      p.set('pricing', 'down');
      await p.read('pricing');
      await p.advance(47 * MINUTE);
      return;
    case 'maintenance':
      p.set('auth', 'down');
      await p.read('auth');
      return;
    case 'offline':
      // The device loses its network: saved prices are shown, a change waits for the connection.
      p.environment.set({ online: false });
      await p.read('pricing');
      await p.write('orders');
      return;
    case 'several':
      for (const d of ['pricing', 'orders', 'reviews'] as const) p.set(d, 'down');
      await p.read('pricing');
      await p.write('orders');
      await p.read('reviews');
      return;
    case 'slow':
      // A read that is still waiting (the preview's clock stands still: it waits for good).
      p.set('pricing', 'slow');
      void p.read('pricing');
      await p.advance(2_000);
      return;
    case 'busy':
      p.set('pricing', 'busy');
      await p.read('pricing');
      return;
    case 'minimal':
    case 'queued':
      p.set('orders', 'down');
      await p.write('orders');
      if (state === 'queued') {
        await p.advance(2 * MINUTE);
        await p.write('orders', { sku: 'plate', qty: 2 });
        await p.write('orders', { sku: 'bowl', qty: 1 });
      }
      return;
    case 'sending':
    case 'failed':
    case 'needs-auth': {
      p.set('orders', 'down');
      await p.write('orders');
      await p.advance(MINUTE);
      await p.write('orders', { sku: 'plate', qty: 2 });
      // The service comes back answering 400 (failed), 401 (needs sign-in), or not at all (sending).
      p.set('orders', state === 'sending' ? 'hang' : state === 'failed' ? 400 : 401);
      return replayOrders(p, (s) =>
        state === 'sending'
          ? s.sending === 1
          : state === 'failed'
            ? s.failed === 2
            : // The 401 pauses the orders replay: the next write waits behind it.
              s.needsAuth > 0 && s.sending === 0,
      );
    }
    case 'conflict':
      // A change made against version "v1" of the order waits while orders is down; when it is sent,
      // another device has changed the order since (412 with the server's own words).
      p.set('orders', 'down');
      await p.write('orders', { sku: 'mug-blue', qty: 1 }, { 'if-match': '"v1"' });
      p.set('orders', 'changed');
      return replayOrders(p, (s) => s.conflict === 1);
  }
}
