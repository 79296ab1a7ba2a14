import { createVirtualClock } from '../../src/core/clock.js';
import { createCoreClient as createClient } from '../../src/core/createCoreClient.js';
import type { AttemptEvent } from '../../src/core/types.js';
import { setup, stubFetch, TRACEPARENT } from './support.js';

const parts = (headers: Headers) => TRACEPARENT.exec(headers.get('traceparent') ?? '');

describe('trace context (W3C Trace Context)', () => {
  test('every attempt of a call has the same trace id and a new parent id, lowercase, not all zeros', async () => {
    const { client, seen, run } = setup([429, 502, 200]);
    const { value } = await run(client.fetch('api', '/x'));
    expect(value?.status).toBe(200);
    const all = seen.map((r) => parts(r.headers));
    expect(all.every((m) => m !== null)).toBe(true);
    expect(new Set(all.map((m) => m![1])).size).toBe(1);
    expect(new Set(all.map((m) => m![2])).size).toBe(3);
    for (const m of all) {
      expect(m![1]).not.toMatch(/^0+$/);
      expect(m![2]).not.toMatch(/^0+$/);
    }
  });

  test('each call has its own trace id', async () => {
    const { client, seen, run } = setup([200]);
    await run(client.fetch('api', '/x'));
    await run(client.fetch('api', '/x'));
    expect(parts(seen[0]!.headers)![1]).not.toBe(parts(seen[1]!.headers)![1]);
  });

  test('the trace id is the correlation id of the events and of the error', async () => {
    const { client, seen, run } = setup([503, 404]);
    const attempts: AttemptEvent[] = [];
    client.on('attempt', (e) => attempts.push(e));
    const { error } = await run(client.fetch('api', '/y'));
    const traceId = parts(seen[0]!.headers)![1];
    expect(error?.correlationId).toBe(traceId);
    expect(attempts.map((a) => a.correlationId)).toEqual([traceId, traceId]);
  });

  test("an app's own valid traceparent keeps its trace id, with Brownout's parent id per attempt", async () => {
    const { client, seen, run } = setup([503, 200]);
    const mine = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await run(client.fetch('api', '/x', { headers: { traceparent: mine } }));
    expect(seen.map((r) => parts(r.headers)![1])).toEqual([
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '4bf92f3577b34da6a3ce929d0e0e4736',
    ]);
    expect(seen.map((r) => parts(r.headers)![2])).not.toContain('00f067aa0ba902b7');
  });

  test('an invalid traceparent from the app is replaced by a valid one', async () => {
    const { client, seen, run } = setup([200]);
    await run(
      client.fetch('api', '/x', { headers: { traceparent: '00-00000000000000000000000000000000-x-01' } }),
    );
    expect(seen[0]!.headers.get('traceparent')).toMatch(TRACEPARENT);
  });

  test('trace: false sends no traceparent', async () => {
    const { client, seen, run } = setup([200], {}, { trace: false });
    await run(client.fetch('api', '/x'));
    expect(seen[0]!.headers.has('traceparent')).toBe(false);
  });
});

describe('which origins receive the headers', () => {
  test('a non-allowed origin gets no traceparent, no idempotency key and no deadline header; the app headers still go', async () => {
    const { client, seen, run } = setup([200], { idempotencyKeys: true }, { deadlineHeader: 'X-Timeout-Ms' });
    await run(
      client.fetch('api', 'https://third-party.test/x', { method: 'POST', headers: { 'x-app': '1' } }),
    );
    expect([...seen[0]!.headers.keys()]).toEqual(['x-app']);
  });

  test('an allowed origin gets traceparent and the remaining time, which shrinks with each attempt', async () => {
    const { client, seen, run } = setup(
      [503, 200],
      { retry: { baseMs: 1_000, capMs: 1_000, jitter: 'equal' } },
      {
        deadlineHeader: 'X-Timeout-Ms',
      },
    );
    await run(client.fetch('api', '/x'));
    expect(seen[0]!.headers.get('traceparent')).toMatch(TRACEPARENT);
    const left = seen.map((r) => Number(r.headers.get('x-timeout-ms')));
    expect(left[0]).toBe(10_000);
    expect(left[1]).toBe(Math.floor(10_000 - (seen[1]!.at - seen[0]!.at)));
  });

  test("the page's own origin gets them too (relative URLs)", async () => {
    const clock = createVirtualClock();
    const { fetch, seen } = stubFetch(clock, 200);
    const client = createClient({ clock, fetch, dependencies: { api: {} } });
    await client.fetch('api', '/relative', { method: 'POST', idempotencyKey: 'k' });
    expect(seen[0]!.url).toBe('/relative');
    expect(seen[0]!.headers.get('traceparent')).toMatch(TRACEPARENT);
    expect(seen[0]!.headers.get('idempotency-key')).toBe('k');
  });

  test('allowedOrigins match the whole origin: scheme, host and port', async () => {
    for (const url of ['http://api.test/x', 'https://api.test:444/x', 'https://sub.api.test/x']) {
      const { client, seen, run } = setup([200]);
      await run(client.fetch('api', url));
      expect(seen[0]!.headers.has('traceparent'), url).toBe(false);
    }
  });
});

test('in a page, redirects are left to fetch: a redirect there is opaque to script, so none is asked for', async () => {
  expect(globalThis.location).toBeDefined();
  const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => new Response('{}'));
  const client = createClient({
    clock: createVirtualClock(),
    fetch,
    allowedOrigins: ['https://api.test'],
    dependencies: { api: { baseUrl: 'https://api.test' } },
  });
  await client.fetch('api', '/x');
  expect(fetch.mock.calls[0]![1]).not.toHaveProperty('redirect');
  expect(new Headers(fetch.mock.calls[0]![1]!.headers).has('traceparent')).toBe(true);
});
