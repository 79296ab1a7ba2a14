// @vitest-environment node
import { HttpResponse, http } from 'msw';
import { type ChaosScenarioName, createChaos, scenarios } from '../../src/msw/index.js';
import { mockServer, U } from './support.js';

const server = mockServer();

// The demo's dependencies, as the scenarios name them.
const demo = () =>
  createChaos(
    {
      pricing: `${U}/prices`,
      reviews: `${U}/reviews`,
      recommendations: `${U}/recommendations`,
      orders: `${U}/orders`,
      auth: `${U}/auth`,
    },
    { seed: 1 },
  );

test('names the scenarios the stories use', () => {
  expect(Object.keys(scenarios).sort()).toEqual([
    'all healthy',
    'auth down (fail closed)',
    'flaky network',
    'offline',
    'orders down, writes queue',
    'pricing outage',
    'rate limited',
    'recovery',
    'reviews slow',
  ] satisfies ChaosScenarioName[]);
});

test('is frozen all the way down', () => {
  expect(Object.isFrozen(scenarios)).toBe(true);
  expect(Object.isFrozen(scenarios.recovery)).toBe(true);
  expect(Object.isFrozen(scenarios.recovery.pricing)).toBe(true);
  const pricing = scenarios.recovery.pricing as { recover: object };
  expect(Object.isFrozen(pricing.recover)).toBe(true);
});

test.each([
  ['all healthy', {}],
  ['pricing outage', { pricing: 'down' }],
  ['reviews slow', { reviews: 'slow' }],
  ['orders down, writes queue', { orders: 'down' }],
  ['auth down (fail closed)', { auth: 'down' }],
  ['recovery', { pricing: 'down' }],
  ['rate limited', { pricing: 'rate-limited' }],
  [
    'flaky network',
    { pricing: 'flaky', reviews: 'flaky', recommendations: 'flaky', orders: 'flaky', auth: 'flaky' },
  ],
  [
    'offline',
    {
      pricing: 'offline',
      reviews: 'offline',
      recommendations: 'offline',
      orders: 'offline',
      auth: 'offline',
    },
  ],
] as const)('%s applies to the demo dependencies', (name, changed) => {
  const chaos = demo();
  chaos.apply(scenarios[name]);
  expect(chaos.modes()).toEqual({
    pricing: 'healthy',
    reviews: 'healthy',
    recommendations: 'healthy',
    orders: 'healthy',
    auth: 'healthy',
    ...changed,
  });
});

test("'recovery': pricing fails three calls, then the app answers and the mode is healthy again", async () => {
  const chaos = demo();
  chaos.apply(scenarios.recovery);
  server.use(
    ...chaos.handlers,
    http.get(`${U}/prices`, () => HttpResponse.json([{ id: 'tea' }])),
  );
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await fetch(`${U}/prices`)).status);
  expect(statuses).toEqual([503, 503, 503, 200, 200]);
  expect(chaos.get('pricing')).toBe('healthy');
});

test('a controller that lacks a dependency a scenario names refuses it', () => {
  const chaos = createChaos({ orders: `${U}/orders` });
  expect(() => chaos.apply(scenarios['pricing outage'])).toThrow(/unknown dependency "pricing"/);
  chaos.apply(scenarios.offline);
  expect(chaos.modes()).toEqual({ orders: 'offline' });
});
