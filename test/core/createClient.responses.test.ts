import { createVirtualClock } from '../../src/core/clock.js';
import { createCoreClient as createClient } from '../../src/core/createCoreClient.js';
import { createSeededRandom } from '../../src/core/random.js';
import { ORIGIN, setup, stallingBody, stubFetch } from './support.js';

describe('what a successful call hands back', () => {
  test('status, status text, headers and url survive the body wrapper', async () => {
    const { client } = setup([
      () => {
        const r = new Response('{}', { status: 201, statusText: 'Created', headers: { 'x-a': '1' } });
        Object.defineProperty(r, 'url', { value: `${ORIGIN}/x` });
        return r;
      },
    ]);
    const r = await client.fetch('api', '/x');
    expect([r.status, r.statusText, r.headers.get('x-a'), r.ok, r.url]).toEqual([
      201,
      'Created',
      '1',
      true,
      `${ORIGIN}/x`,
    ]);
  });

  test('every body reader works, and a body can be read once', async () => {
    const json = () => new Response('{"a":[1,2]}', { headers: { 'content-type': 'application/json' } });
    const { client } = setup([json]);
    expect(await (await client.fetch('api', '/x')).json()).toEqual({ a: [1, 2] });
    expect(new TextDecoder().decode(await (await client.fetch('api', '/x')).arrayBuffer())).toBe(
      '{"a":[1,2]}',
    );
    const blob = await (await client.fetch('api', '/x')).blob();
    expect([blob.type, blob.size]).toEqual(['application/json', 11]);
    const r = await client.fetch('api', '/x');
    expect(r.bodyUsed).toBe(false);
    await r.text();
    expect(r.bodyUsed).toBe(true);
    await expect(r.text()).rejects.toThrow(TypeError);
  });

  test('a body in several chunks is read whole by client.json', async () => {
    const { client } = setup([() => new Response(stallingBody(['{"a":', '1', '}'], true))]);
    expect(await client.json('api', '/x')).toEqual({ a: 1 });
  });

  test('a 204 is handed over as it is, and client.json gives undefined', async () => {
    const { client } = setup([() => new Response(null, { status: 204 })]);
    const r = await client.fetch('api', '/x');
    expect(r.status).toBe(204);
    expect(r.body).toBeNull();
    expect(await client.json('api', '/x')).toBeUndefined();
  });

  test('a 3xx below 400 is a success too', async () => {
    const { client } = setup([() => new Response(null, { status: 304 })]);
    expect((await client.fetch('api', '/x')).status).toBe(304);
    expect(client.metrics('api').successes).toBe(1);
  });
});

describe('URLs, methods and the fetcher', () => {
  test('relative URLs are joined to baseUrl; absolute ones are left alone', async () => {
    const clock = createVirtualClock();
    const { fetch, seen } = stubFetch(clock, 200);
    const client = createClient({ clock, fetch, dependencies: { api: { baseUrl: 'https://a.test/v1/' } } });
    await client.fetch('api', '/prices');
    await client.fetch('api', 'items');
    await client.fetch('api', 'https://b.test/z');
    await client.fetch('api', new URL('https://c.test/u'));
    expect(seen.map((s) => s.url)).toEqual([
      'https://a.test/v1/prices',
      'https://a.test/v1/items',
      'https://b.test/z',
      'https://c.test/u',
    ]);
  });

  test('the fetcher is fetch-compatible and bound to its dependency, Request objects included', async () => {
    const { client, seen } = setup([200]);
    const f: typeof fetch = client.fetcher('api');
    const r = await f(new Request(`${ORIGIN}/req`, { method: 'PUT', headers: { 'x-a': '1' }, body: 'b' }));
    expect(r.status).toBe(200);
    expect(seen[0]).toMatchObject({ url: `${ORIGIN}/req`, method: 'PUT' });
    expect(seen[0]!.headers.get('x-a')).toBe('1');
    expect(client.metrics('api').requests).toBe(1);
  });

  test('a Request is sent afresh on each attempt (its body is not used up by the first)', async () => {
    const bodies: string[] = [];
    const clock = createVirtualClock();
    const client = createClient({
      clock,
      random: createSeededRandom(1),
      fetch: async (input) => {
        bodies.push(await (input as Request).text());
        return new Response('', { status: bodies.length === 1 ? 503 : 200 });
      },
      dependencies: { api: { retry: { baseMs: 1, capMs: 1 } } },
    });
    const p = client.fetch('api', new Request('https://a.test/x', { method: 'PUT', body: 'payload' }));
    while (await clock.next()) {}
    expect((await p).status).toBe(200);
    expect(bodies).toEqual(['payload', 'payload']);
  });

  test('the method is upper-cased; the default is GET', async () => {
    const { client, seen } = setup([200]);
    await client.fetch('api', '/x');
    await client.fetch('api', '/x', { method: 'delete' });
    expect(seen.map((s) => s.method)).toEqual(['GET', 'DELETE']);
  });

  test('Brownout-only init members are not passed to fetch', async () => {
    const inits: RequestInit[] = [];
    const client = createClient({
      clock: createVirtualClock(),
      fetch: async (_input, init) => {
        inits.push(init ?? {});
        return new Response('');
      },
      dependencies: { api: {} },
    });
    await client.fetch('api', 'https://a.test/', {
      timeouts: { headersMs: 50 },
      cacheKey: 'k',
      maxAttempts: 1,
      idempotencyKey: 'i',
      credentials: 'include',
    });
    expect(inits[0]).not.toHaveProperty('timeouts');
    expect(inits[0]).not.toHaveProperty('cacheKey');
    expect(inits[0]).not.toHaveProperty('maxAttempts');
    expect(inits[0]).not.toHaveProperty('idempotencyKey');
    expect(inits[0]!.credentials).toBe('include');
    expect(inits[0]!.signal).toBeInstanceOf(AbortSignal);
  });

  test('the client exposes its clock, its dependency names and their policies', () => {
    const clock = createVirtualClock();
    const client = createClient({ clock, dependencies: { a: {}, b: { retry: { maxAttempts: 5 } } } });
    expect(client.clock).toBe(clock);
    expect(client.dependencies).toEqual(['a', 'b']);
    expect(Object.isFrozen(client.dependencies)).toBe(true);
    expect(client.policy('b').retry.maxAttempts).toBe(5);
  });

  test('without an injected fetch, globalThis.fetch is looked up at call time', async () => {
    const client = createClient({ clock: createVirtualClock(), dependencies: { api: {} } });
    const spy = vi.fn(async () => new Response('late'));
    vi.stubGlobal('fetch', spy);
    try {
      expect(await (await client.fetch('api', 'https://a.test/')).text()).toBe('late');
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
