// @vitest-environment node
import { HttpHandler, HttpResponse, http } from 'msw';
import { CHAOS_MODES, type ChaosModes, createChaos } from '../../src/msw/index.js';
import { mockServer, readOrStall, release, U } from './support.js';

// What 'slow' asked msw's `delay` for, recorded without waiting that long.
const waits = vi.hoisted(() => [] as (number | string | undefined)[]);
vi.mock('msw', async (importOriginal) => {
  const msw = await importOriginal<typeof import('msw')>();
  return {
    ...msw,
    delay: async (ms?: number | 'infinite' | 'real') => {
      waits.push(ms);
    },
  };
});

const server = mockServer();
beforeEach(() => {
  waits.length = 0;
});

const routes = { pricing: `${U}/prices*`, orders: [`${U}/orders`, `${U}/orders/:id`] } as const;

// The app's own handlers, after the controller's: what healthy calls reach.
const app = [
  http.get(`${U}/prices`, () => HttpResponse.json({ tea: 4.5 })),
  http.all(`${U}/orders`, () => HttpResponse.json({ orders: [] })),
  http.get(`${U}/orders/:id`, ({ params }) => HttpResponse.json({ id: params.id })),
];

const install = (chaos: { handlers: HttpHandler[] }) => server.use(...chaos.handlers, ...app);

/** 'real' when the app answered, else the status, or 'network-error'. */
const call = async (path: string, init?: RequestInit): Promise<'real' | 'network-error' | number> => {
  try {
    const r = await fetch(`${U}${path}`, init);
    if (r.status === 200 && r.headers.get('content-type') === 'application/json') return 'real';
    r.body?.cancel().catch(() => {});
    return r.status;
  } catch {
    return 'network-error';
  }
};

test('makes one msw handler per route, all healthy at first', () => {
  const chaos = createChaos(routes);
  expect(chaos.handlers).toHaveLength(3);
  for (const handler of chaos.handlers) expect(handler).toBeInstanceOf(HttpHandler);
  expect(chaos.handlers.map((h) => h.info.path)).toEqual([`${U}/prices*`, `${U}/orders`, `${U}/orders/:id`]);
  expect(chaos.modes()).toEqual({ pricing: 'healthy', orders: 'healthy' });
  expect(chaos.get('orders')).toBe('healthy');
  expect(Object.isFrozen(chaos.modes())).toBe(true);
});

test('refuses nonsense routes, dependencies, modes and settings, naming them', () => {
  expect(() => createChaos({})).toThrow(RangeError);
  expect(() => createChaos({ '*': '/x' })).toThrow(RangeError);
  expect(() => createChaos({ pricing: [] })).toThrow(/pricing: give at least one route/);
  const chaos = createChaos(routes);
  const anyChaos = chaos as unknown as {
    set(d: string, m: string, s?: object): void;
    get(d: string): string;
  };
  expect(() => anyChaos.set('reviews', 'down')).toThrow(
    /unknown dependency "reviews"; known: pricing, orders/,
  );
  expect(() => anyChaos.get('reviews')).toThrow(RangeError);
  expect(() => anyChaos.set('pricing', 'broken')).toThrow(/pricing: mode must be one of healthy, slow/);
  expect(() => chaos.set('pricing', 'flaky', { failureRate: 2 })).toThrow(/pricing \(flaky\): failureRate/);
  expect(() => chaos.set('orders', 'slow', { ms: -1 })).toThrow(/orders \(slow\): ms/);
  expect(() => chaos.set('orders', 'down', { recover: { afterCalls: -1 } })).toThrow(
    /orders \(down\): recover/,
  );
  expect(() => chaos.apply({ pricing: 'down', reviews: 'down' } as object)).toThrow(/"reviews"/);
  expect(chaos.modes()).toEqual({ pricing: 'healthy', orders: 'healthy' });
});

test('healthy requests pass through to the app, and are counted per dependency', async () => {
  const chaos = createChaos(routes);
  install(chaos);
  expect(await (await fetch(`${U}/prices`)).json()).toEqual({ tea: 4.5 });
  expect(await (await fetch(`${U}/orders/7`)).json()).toEqual({ id: '7' });
  expect(await call('/orders', { method: 'POST', body: '{}' })).toBe('real');
  expect([chaos.calls('pricing'), chaos.calls('orders')]).toEqual([1, 2]);
});

test('switches a mode at run time: from the next request on, for that dependency only', async () => {
  const chaos = createChaos(routes);
  install(chaos);
  expect(await call('/prices')).toBe('real');
  chaos.set('pricing', 'down');
  const down = await fetch(`${U}/prices`);
  expect([down.status, down.headers.get('content-type'), await down.json()]).toEqual([
    503,
    'application/problem+json',
    { type: 'about:blank', title: 'Service Unavailable', status: 503 },
  ]);
  expect(await call('/orders')).toBe('real');
  chaos.set('pricing', 'healthy');
  expect(await call('/prices')).toBe('real');
  expect(chaos.calls('pricing')).toBe(3);
});

test('every mode answers as its factory does, with its defaults and settings', async () => {
  const chaos = createChaos(routes);
  install(chaos);
  chaos.set('pricing', 'down', { status: 500, retryAfter: 5 });
  const down = await fetch(`${U}/prices`);
  expect([down.status, down.headers.get('retry-after')]).toEqual([500, '5']);

  chaos.set('pricing', 'rate-limited');
  const limited = await fetch(`${U}/prices`);
  expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '30']);
  chaos.set('pricing', 'rate-limited', { retryAfter: new Date(Date.UTC(2030, 0, 1)) });
  expect((await fetch(`${U}/prices`)).headers.get('retry-after')).toBe('Tue, 01 Jan 2030 00:00:00 GMT');

  chaos.set('pricing', 'offline');
  await expect(fetch(`${U}/prices`)).rejects.toThrow(TypeError);

  chaos.set('pricing', 'html-error');
  const html = await fetch(`${U}/prices`);
  expect([html.status, html.headers.get('content-type')]).toEqual([502, 'text/html; charset=utf-8']);
  expect(await html.text()).toContain('502 Bad Gateway');

  chaos.set('pricing', 'malformed');
  const malformed = await fetch(`${U}/prices`);
  expect([malformed.status, malformed.headers.get('content-type')]).toEqual([
    500,
    'application/problem+json',
  ]);
  await expect(malformed.json()).rejects.toThrow(SyntaxError);
  chaos.set('pricing', 'malformed', { kind: 'empty', status: 503 });
  const empty = await fetch(`${U}/prices`);
  expect([empty.status, await empty.text()]).toEqual([503, '']);

  chaos.set('pricing', 'stalled', { afterBytes: 2 });
  const stalled = await fetch(`${U}/prices`);
  const reader = stalled.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"');
  expect(await readOrStall(reader, 30)).toBe('stalled');
  release(reader);
});

test("'slow' waits 3000 ms by default, or as set, then passes through to the app", async () => {
  const chaos = createChaos(routes);
  install(chaos);
  chaos.set('orders', 'slow');
  expect(await call('/orders/1')).toBe('real');
  chaos.set('orders', 'slow', { ms: 100, maxMs: 900, seed: 3 });
  for (let i = 0; i < 5; i++) await call('/orders/1');
  expect(waits[0]).toBe(3000);
  const drawn = waits.slice(1) as number[];
  expect(drawn.every((ms) => ms >= 100 && ms <= 900)).toBe(true);
  expect(new Set(drawn).size).toBe(5);
});

test('flaky and slow are the same for the same seed, and start afresh on each set', async () => {
  const run = async (seed: number) => {
    const chaos = createChaos(routes, { seed });
    server.resetHandlers(...chaos.handlers, ...app);
    chaos.set('pricing', 'flaky');
    const seen = [];
    for (let i = 0; i < 40; i++) seen.push(await call('/prices'));
    chaos.set('pricing', 'slow', { ms: 10, maxMs: 20 });
    waits.length = 0;
    for (let i = 0; i < 5; i++) await call('/prices');
    return { seen, waits: [...waits] };
  };
  const a = await run(7);
  expect(new Set(a.seen)).toEqual(new Set(['real', 503]));
  expect(await run(7)).toEqual(a);
  const b = await run(8);
  expect(b.seen).not.toEqual(a.seen);
  expect(b.waits).not.toEqual(a.waits);

  const chaos = createChaos(routes, { seed: 7 });
  server.resetHandlers(...chaos.handlers, ...app);
  chaos.set('pricing', 'flaky', { failureRate: 0.5 });
  const first = [await call('/prices'), await call('/prices'), await call('/prices')];
  chaos.set('pricing', 'flaky', { failureRate: 0.5 });
  expect([await call('/prices'), await call('/prices'), await call('/prices')]).toEqual(first);
  chaos.set('pricing', 'flaky', { failureRate: 1, failWith: 'network-error' });
  expect(await call('/prices')).toBe('network-error');
});

test('recovers after N calls: back to healthy, listeners told, the next call reaches the app', async () => {
  const chaos = createChaos(routes);
  install(chaos);
  const seen: ChaosModes<'pricing' | 'orders'>[] = [];
  chaos.subscribe((modes) => seen.push(modes));
  chaos.set('pricing', 'down', { recover: { afterCalls: 2 } });
  expect([await call('/prices'), await call('/prices')]).toEqual([503, 503]);
  expect(chaos.get('pricing')).toBe('down');
  expect(await call('/prices')).toBe('real');
  expect(chaos.get('pricing')).toBe('healthy');
  expect(seen.map((modes) => modes.pricing)).toEqual(['down', 'healthy']);
  expect(await call('/prices')).toBe('real');
  expect(seen).toHaveLength(2);
});

test('recovers T ms after the first call in the mode, by the injected clock', async () => {
  let now = 1_000;
  const chaos = createChaos(routes, { now: () => now });
  install(chaos);
  chaos.set('orders', 'offline', { recover: { afterMs: 5_000 } });
  now = 9_000; // the clock starts at the first call, not at set()
  expect(await call('/orders')).toBe('network-error');
  now = 13_999;
  expect(await call('/orders/1')).toBe('network-error');
  now = 14_000;
  expect(await call('/orders')).toBe('real');
  expect(chaos.modes()).toEqual({ pricing: 'healthy', orders: 'healthy' });
});

test('a recovery does not undo a mode set since', async () => {
  const chaos = createChaos(routes);
  install(chaos);
  chaos.set('pricing', 'down', { recover: { afterCalls: 0 } });
  chaos.set('pricing', 'rate-limited');
  expect(await call('/prices')).toBe(429);
  expect(chaos.get('pricing')).toBe('rate-limited');
});

test('subscribe gets a new frozen snapshot per change; modes() keeps its identity in between', () => {
  const chaos = createChaos(routes);
  const listener = vi.fn();
  const unsubscribe = chaos.subscribe(listener);
  const before = chaos.modes();
  expect(chaos.modes()).toBe(before);
  chaos.set('orders', 'down');
  const after = chaos.modes();
  expect(after).not.toBe(before);
  expect(listener).toHaveBeenCalledTimes(1);
  expect(listener).toHaveBeenLastCalledWith(after);
  expect([before.orders, after.orders]).toEqual(['healthy', 'down']);
  expect(Object.isFrozen(after)).toBe(true);
  unsubscribe();
  chaos.set('orders', 'healthy');
  expect(listener).toHaveBeenCalledTimes(1);
});

test('a listener may unsubscribe while being told; the others still are', () => {
  const chaos = createChaos(routes);
  const second = vi.fn();
  const stop = chaos.subscribe(() => stop());
  chaos.subscribe(second);
  chaos.set('pricing', 'down');
  chaos.set('pricing', 'slow');
  expect(second).toHaveBeenCalledTimes(2);
});

test('apply sets every dependency at once (those left out healthy), with one notification', async () => {
  const chaos = createChaos(routes, { seed: 2 });
  install(chaos);
  const listener = vi.fn();
  chaos.subscribe(listener);
  chaos.set('pricing', 'down');
  chaos.apply({ orders: { mode: 'rate-limited', retryAfter: 9 } });
  expect(chaos.modes()).toEqual({ pricing: 'healthy', orders: 'rate-limited' });
  expect(listener).toHaveBeenCalledTimes(2);
  expect((await fetch(`${U}/orders`)).headers.get('retry-after')).toBe('9');
  chaos.apply({ '*': 'offline', orders: 'down' });
  expect(chaos.modes()).toEqual({ pricing: 'offline', orders: 'down' });
  expect([await call('/prices'), await call('/orders')]).toEqual(['network-error', 503]);
  // A bad scenario changes nothing.
  expect(() => chaos.apply({ pricing: 'healthy', orders: { mode: 'flaky', failureRate: -1 } })).toThrow(
    RangeError,
  );
  expect(chaos.modes()).toEqual({ pricing: 'offline', orders: 'down' });
  expect(listener).toHaveBeenCalledTimes(3);
});

test('reset makes every dependency healthy and the counts 0', async () => {
  const chaos = createChaos(routes, { scenario: { '*': 'down' } });
  install(chaos);
  expect(chaos.modes()).toEqual({ pricing: 'down', orders: 'down' });
  expect([await call('/prices'), await call('/orders')]).toEqual([503, 503]);
  const listener = vi.fn();
  chaos.subscribe(listener);
  chaos.reset();
  expect(listener).toHaveBeenCalledWith({ pricing: 'healthy', orders: 'healthy' });
  expect([chaos.calls('pricing'), chaos.calls('orders')]).toEqual([0, 0]);
  expect([await call('/prices'), await call('/orders')]).toEqual(['real', 'real']);
  expect(chaos.calls('pricing')).toBe(1);
});

test('a healthy dependency passes through to a later chaos handler too', async () => {
  const chaos = createChaos({ pricing: `${U}/prices` });
  const other = createChaos({ everything: `${U}/*` }, { scenario: { everything: 'down' } });
  server.use(...chaos.handlers, ...other.handlers, ...app);
  expect(await call('/prices')).toBe(503);
  expect([chaos.calls('pricing'), other.calls('everything')]).toEqual([1, 1]);
});

test('CHAOS_MODES lists every mode once, frozen, and each one can be set', () => {
  const chaos = createChaos({ api: 'https://api.test/x' });
  expect(new Set(CHAOS_MODES).size).toBe(9);
  expect(Object.isFrozen(CHAOS_MODES)).toBe(true);
  for (const mode of CHAOS_MODES) {
    chaos.set('api', mode);
    expect(chaos.get('api')).toBe(mode);
  }
});
