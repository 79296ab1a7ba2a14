// @vitest-environment node
// Pricing goes down and comes back, through MSW and the real fetch, on the virtual clock.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { createClient, createVirtualClock, getFreshness } from '../../src/index.js';
import { outage } from '../../src/msw/index.js';

const API = 'https://pricing.test';
const PRICES = [{ id: 'tea', price: 4.5 }];
const server = setupServer(http.get(`${API}/prices`, () => HttpResponse.json(PRICES)));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const setup = () => {
  const clock = createVirtualClock(0);
  const client = createClient({
    clock,
    store: { settleMs: 5_000 },
    dependencies: {
      pricing: {
        baseUrl: API,
        maxStaleMs: 3_600_000,
        retry: { baseMs: 1, capMs: 1 },
        breaker: { consecutiveFailures: 3, openMs: 30_000 },
      },
    },
  });
  const read = async () => {
    const p = client
      .fetch('pricing', '/prices')
      .then(async (r) => ({ body: await r.json(), freshness: getFreshness(r) }));
    let done = false;
    const settled = p.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
    // Drive the clock only until this call settles (later timers, like the store's settle time, wait).
    while (!done) {
      await clock.flush();
      if (done || !(await clock.next())) break;
    }
    await settled;
    return p;
  };
  return { clock, client, read };
};

test('down → cached value with its age; too old → the error; recovered after the probe → normal after the settle time', async () => {
  const { client, clock, read } = setup();
  expect(await read()).toMatchObject({ body: PRICES, freshness: { source: 'network', fetchedAt: 0 } });

  server.use(outage(`${API}/prices`));
  await clock.advanceAsync(14 * 60_000);
  const cached = await read();
  expect(cached).toMatchObject({ body: PRICES, freshness: { source: 'cache', fetchedAt: 0 } });
  expect(Math.floor((clock.now() - cached.freshness!.fetchedAt) / 60_000)).toBe(14);
  expect(client.store.getState()).toMatchObject({
    level: 'cached',
    dependencies: { pricing: { health: 'down', breaker: 'open', level: 'cached' } },
    freshness: { [`GET ${API}/prices`]: { source: 'cache', fetchedAt: 0 } },
  });

  // An hour later the cached value is past maxStaleMs: the truth is the error. The call was the
  // half-open probe; it failed, so the breaker re-opened and refused the retry.
  await clock.advanceAsync(60 * 60_000);
  const error = await read().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ kind: 'breaker-open', cause: { kind: 'http', status: 503 } });

  // Pricing recovers: after openMs the next call is the probe, it closes the breaker, the level settles back.
  server.resetHandlers();
  await clock.advanceAsync(30_000);
  expect(client.breaker('pricing').state.state).toBe('half-open');
  expect(await read()).toMatchObject({ freshness: { source: 'network' } });
  // Up again (degraded by the retries still in the window), but the banner waits out the settle time.
  expect(client.store.getState().dependencies.pricing).toMatchObject({
    health: 'degraded',
    breaker: 'closed',
    level: 'cached',
  });
  await clock.advanceAsync(4_999);
  expect(client.store.getState().level).toBe('cached');
  await clock.advanceAsync(1);
  expect(client.store.getState().level).toBe('normal');
  client.dispose();
  expect(clock.pending).toBe(0);
});
