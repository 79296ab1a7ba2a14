// A stall is a failure and the data's age is the body's: headers alone prove nothing (six stalled bodies in a
// row used to leave the dependency healthy, and a stalled response's headers reset fetchedAt).
import type { FreshEvent } from '../../src/core/types.js';
import { mapCache, setup, stallingBody, tricklingBody } from './support.js';

/** Makes a call and reads its body to the end on the virtual clock: the text, or the error's code. */
const readAll = async (s: ReturnType<typeof setup>, path: string): Promise<string> => {
  const { value, error } = await s.run(s.client.fetch('api', path).then((r) => r.text()));
  return value ?? error?.code ?? 'no code';
};

test('six bodies that stall after their headers open the breaker (5 consecutive failures), and the store learns why', async () => {
  const s = setup([() => new Response(stallingBody(['{"p']))], { retry: { maxAttempts: 1 } });
  const { client, seen } = s;
  const codes: string[] = [];
  const opened: number[] = [];
  client.on('breaker', (e) => {
    if (e.to.state === 'open') opened.push(seen.length);
  });
  for (let i = 0; i < 5; i++) codes.push(await readAll(s, '/prices'));
  expect(codes).toEqual(Array(5).fill('timeout.body'));
  expect(opened).toEqual([5]); // opened by the fifth stall
  expect(client.status('api')).toMatchObject({ health: 'down', lastError: { code: 'timeout.body' } });
});

test('a completed body between stalls still resets the run: the breaker counts consecutive failures', async () => {
  let n = 0;
  const s = setup(
    [() => (++n % 3 === 0 ? new Response('{}') : new Response(stallingBody(['{'])))],
    { retry: { maxAttempts: 1 }, breaker: { failureRate: 1 } }, // the consecutive rule alone
  );
  for (let i = 0; i < 12; i++) await readAll(s, '/x');
  expect(s.client.breaker('api').state.state).toBe('closed');
});

test('a caller who cancels the body after the headers is not a failure', async () => {
  const { client } = setup([() => new Response(stallingBody(['{']))], {
    retry: { maxAttempts: 1 },
    breaker: { consecutiveFailures: 1 },
  });
  const response = await client.fetch('api', '/x');
  await response.body?.cancel();
  expect(client.breaker('api').state.state).toBe('closed');
});

test('fetchedAt is when the body completed, not when its headers came; a stalled body is never fresh', async () => {
  const cache = mapCache();
  const s = setup(
    [
      () => new Response(tricklingBody(s.clock, ['{"a":', '1}'], 2_000)),
      () => new Response(stallingBody(['{"a":'])),
    ],
    { retry: { maxAttempts: 1 } },
    { cache },
  );
  const fresh: FreshEvent[] = [];
  s.client.on('fresh', (e) => fresh.push(e));
  const t0 = s.clock.now();
  expect(await readAll(s, '/a')).toBe('{"a":1}');
  expect(fresh.map((e) => e.freshness.fetchedAt - t0)).toEqual([6_000]); // two chunks and the end, 2 s apart
  expect(cache.entries.get('GET https://api.test/a')?.fetchedAt).toBe(t0 + 6_000);
  expect(await readAll(s, '/a')).toBe('timeout.body');
  expect(fresh).toHaveLength(1); // the stalled one told no one it was fresh
  expect(cache.entries.get('GET https://api.test/a')?.fetchedAt).toBe(t0 + 6_000);
});

test('a half-open probe whose headers come and whose body then stalls re-opens the breaker', async () => {
  let n = 0;
  const s = setup(
    [() => (++n === 1 ? new Response('', { status: 503 }) : new Response(stallingBody(['{'])))],
    {
      retry: { maxAttempts: 1 },
      breaker: { consecutiveFailures: 1, openMs: 1_000 },
    },
  );
  const states: string[] = [];
  s.client.on('breaker', (e) => states.push(e.to.state));
  await s.client.fetch('api', '/x').catch(() => {});
  await s.clock.advanceAsync(1_000);
  expect(await readAll(s, '/x')).toBe('timeout.body');
  // Closed by the probe's headers, then opened again by its stalled body: never left closed on a stall.
  expect(states).toEqual(['open', 'half-open', 'closed', 'open']);
});
