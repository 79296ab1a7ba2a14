// @vitest-environment node
import { type HttpHandler, HttpResponse, http } from 'msw';
import {
  type ChaosOptions,
  flaky,
  htmlErrorPage,
  latency,
  malformedProblem,
  networkError,
  outage,
  rateLimited,
  sequence,
  stalledBody,
} from '../../src/msw/index.js';
import { mockServer, U } from './support.js';

const server = mockServer();
const P = `${U}/dep`;

// The app's own handler, after the chaos handler: what a recovered dependency's calls reach.
const real = http.all(P, () => HttpResponse.text('real', { headers: { 'x-real': '1' } }));

/** 'real' when the app's handler answered, else what the chaos handler did. */
const call = async (): Promise<'real' | 'network-error' | number> => {
  try {
    const r = await fetch(P);
    if (r.headers.get('x-real') === '1') return 'real';
    // Not read: a stalled body never ends.
    r.body?.cancel().catch(() => {});
    return r.status;
  } catch {
    return 'network-error';
  }
};

const factories: [string, (options: ChaosOptions) => HttpHandler, 'network-error' | number][] = [
  ['outage', (o) => outage(P, o), 503],
  ['rateLimited', (o) => rateLimited(P, { retryAfter: 1, ...o }), 429],
  ['networkError', (o) => networkError(P, o), 'network-error'],
  ['htmlErrorPage', (o) => htmlErrorPage(P, o), 502],
  ['stalledBody', (o) => stalledBody(P, o), 200],
  ['flaky', (o) => flaky(P, { failureRate: 1, ...o }), 503],
  ['malformedProblem', (o) => malformedProblem(P, o), 500],
  ['latency', (o) => latency(P, 1, 504, o), 504],
  ['sequence', (o) => sequence(P, [500, 501], o).handler, 501],
];

test.each(factories)(
  '%s recovers after N calls: then calls reach the next handler',
  async (_, make, failure) => {
    server.use(make({ recover: { afterCalls: 2 } }), real);
    const first = await call();
    expect([first === 'real', await call()]).toEqual([false, failure]);
    expect([await call(), await call()]).toEqual(['real', 'real']);
  },
);

test.each(factories)(
  '%s recovers T ms after its first call, by the injected clock',
  async (_, make, failure) => {
    let now = 50_000;
    server.use(make({ recover: { afterMs: 1_000 }, now: () => now }), real);
    now = 80_000; // the clock starts at the first call, not at creation
    expect(await call()).not.toBe('real');
    now += 999;
    expect(await call()).toBe(failure);
    now += 1;
    expect(await call()).toBe('real');
    now -= 5_000; // once recovered, for good
    expect(await call()).toBe('real');
  },
);

test('with both, whichever comes first', async () => {
  let now = 0;
  server.use(outage(P, { recover: { afterCalls: 5, afterMs: 100 }, now: () => now }), real);
  expect(await call()).toBe(503);
  now = 100;
  expect(await call()).toBe('real');
  server.resetHandlers(outage(P, { recover: { afterCalls: 1, afterMs: 100 }, now: () => now }), real);
  expect([await call(), await call()]).toEqual([503, 'real']);
});

test('afterCalls 0 passes from the start; a recovered latency does not wait', async () => {
  server.use(outage(P, { recover: { afterCalls: 0 } }), real);
  expect(await call()).toBe('real');
  server.resetHandlers(latency(P, 'infinite', 200, { recover: { afterCalls: 0 } }), real);
  expect(await call()).toBe('real');
});

test('recovery counts only the calls its method takes', async () => {
  server.use(outage(P, { method: 'post', recover: { afterCalls: 1 } }), real);
  expect(await call()).toBe('real');
  expect((await fetch(P, { method: 'POST' })).status).toBe(503);
  expect((await fetch(P, { method: 'POST' })).headers.get('x-real')).toBe('1');
});

test('a sequence records only the calls it answered', async () => {
  const s = sequence(P, [503], { recover: { afterCalls: 1 } });
  server.use(s.handler, real);
  expect([await call(), await call()]).toEqual([503, 'real']);
  expect([s.calls, s.requests.length]).toEqual([1, 1]);
});

test.each([
  [{}, /afterCalls, afterMs or both/],
  [{ afterCalls: -1 }, /outage: recover\.afterCalls/],
  [{ afterCalls: 1.5 }, /recover\.afterCalls/],
  [{ afterMs: Number.NaN }, /recover\.afterMs/],
  [{ afterMs: -1 }, /recover\.afterMs/],
])('refuses recover %j when the handler is made', (recover, message) => {
  expect(() => outage(P, { recover })).toThrow(RangeError);
  expect(() => outage(P, { recover })).toThrow(message);
});
