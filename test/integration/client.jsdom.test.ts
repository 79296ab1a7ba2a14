// The client against MSW under jsdom (the unit project's environment): the page is
// http://localhost:3000, so https://api.test is cross-origin and must be in `allowedOrigins`.
import { createClient } from '../../src/index.js';
import { sequence } from '../../src/msw/index.js';
import { clientSuite, mockServer } from './clientSuite.js';

const server = mockServer();

test('jsdom puts the page at http://localhost:3000', () => {
  expect(globalThis.location.href).toBe('http://localhost:3000/');
});

clientSuite(server);

test('a same-origin relative URL gets traceparent without any allowedOrigins, and is retried', async () => {
  const s = sequence('http://localhost:3000/api/prices', [503, 503, { status: 200, body: [1] }]);
  server.use(s.handler);
  const client = createClient({ dependencies: { pricing: { retry: { baseMs: 1, capMs: 5 } } } });
  expect(await client.json('pricing', '/api/prices')).toEqual([1]);
  expect(s.calls).toBe(3);
  const traceIds = s.requests.map(
    (r) => /^00-([0-9a-f]{32})-[0-9a-f]{16}-01$/.exec(r.headers.get('traceparent') ?? '')?.[1],
  );
  expect(traceIds.every(Boolean)).toBe(true);
  expect(new Set(traceIds).size).toBe(1);
});
