// @vitest-environment node
// Outside a page fetch shows redirects to `redirect: 'manual'`, so the client follows them itself: the
// trace, idempotency and deadline headers reach only allowed origins (fetch would forward them to any).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVirtualClock } from '../../src/core/clock.js';
import { createCoreClient as createClient } from '../../src/core/createCoreClient.js';

interface Seen {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A loopback server (its own origin) answering with `answer`, keeping what it received. */
async function serve(answer: (url: string) => { status: number; headers?: Record<string, string> }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const { status, headers } = answer(req.url ?? '/');
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(status < 300 ? '{"ok":true}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const OWN = ['traceparent', 'idempotency-key', 'x-deadline-ms'];

describe('redirects in Node (real fetch, loopback servers)', () => {
  let other: Awaited<ReturnType<typeof serve>>;
  let api: Awaited<ReturnType<typeof serve>>;
  beforeEach(async () => {
    other = await serve(() => ({ status: 200 }));
    api = await serve((url) =>
      url === '/moved'
        ? { status: 307, headers: { location: `${other.origin}/landing` } }
        : url === '/here'
          ? { status: 308, headers: { location: '/there' } }
          : url === '/see-other'
            ? { status: 303, headers: { location: `${other.origin}/result` } }
            : { status: 200 },
    );
  });
  afterEach(async () => {
    await other.close();
    await api.close();
  });
  const client = () =>
    createClient({
      clock: createVirtualClock(),
      allowedOrigins: [api.origin],
      deadlineHeader: 'X-Deadline-Ms',
      dependencies: { api: { baseUrl: api.origin, idempotencyKeys: true } },
    });

  test('a 307 to another origin: it gets the POST and its body, but no trace, idempotency or deadline header', async () => {
    const response = await client().fetch('api', '/moved', {
      method: 'POST',
      body: '{"a":1}',
      headers: { authorization: 'Bearer t', 'x-app': 'kept' },
    });
    expect(await response.json()).toEqual({ ok: true });
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(`${other.origin}/landing`);
    for (const name of OWN) expect(api.seen[0]!.headers).toHaveProperty(name);
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]).toMatchObject({ method: 'POST', body: '{"a":1}' });
    for (const name of [...OWN, 'authorization']) expect(other.seen[0]!.headers).not.toHaveProperty(name);
    expect(other.seen[0]!.headers['x-app']).toBe('kept');
  });

  test('a redirect within the allowed origin keeps the headers', async () => {
    await (await client().fetch('api', '/here', { method: 'POST', body: 'x' })).text();
    expect(api.seen.map((s) => s.url)).toEqual(['/here', '/there']);
    const [first, second] = api.seen;
    for (const name of OWN) expect(second!.headers[name]).toBe(first!.headers[name]);
    expect(second).toMatchObject({ method: 'POST', body: 'x' });
  });

  test('a 303 after a POST is a GET without the body, as fetch makes it', async () => {
    await (
      await client().fetch('api', '/see-other', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      })
    ).text();
    expect(other.seen[0]).toMatchObject({ method: 'GET', body: '' });
    expect(other.seen[0]!.headers).not.toHaveProperty('content-type');
    for (const name of OWN) expect(other.seen[0]!.headers).not.toHaveProperty(name);
  });

  test("the caller's own redirect mode is left to fetch", async () => {
    const response = await client()
      .fetch('api', '/moved', { redirect: 'manual' })
      .catch((e: unknown) => e);
    // A 307 is below 400: the caller asked to see it, and gets it.
    expect(response).toHaveProperty('status', 307);
    expect(other.seen).toHaveLength(0);
  });
});
