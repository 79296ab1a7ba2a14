import type { ChaosScenario } from './createChaos.js';

/**
 * The names of the ready-made {@link scenarios}.
 * @example
 * const name: ChaosScenarioName = 'pricing outage';
 */
export type ChaosScenarioName =
  | 'all healthy'
  | 'pricing outage'
  | 'reviews slow'
  | 'orders down, writes queue'
  | 'auth down (fail closed)'
  | 'recovery'
  | 'rate limited'
  | 'flaky network'
  | 'offline';

// Deep: a story that mutates a scenario by mistake must not change it for the next one.
const frozen = <T extends object>(value: T): T => {
  for (const member of Object.values(value))
    if (typeof member === 'object' && member !== null) frozen(member);
  return Object.freeze(value);
};

/**
 * Ready-made scenarios for {@link ChaosController.apply} (frozen), the ones the stories and the demo
 * use. They name the demo's dependencies — `pricing` (core, cached reads), `reviews` (optional),
 * `orders` (writes that queue), `auth` (critical, fails closed) — so a controller must know the ones a
 * scenario names; `'*'` means every dependency.
 * @example
 * const chaos = createChaos({ pricing: '/api/prices*', reviews: '/api/reviews*', orders: '/api/orders*', auth: '/api/auth*' });
 * chaos.apply(scenarios['pricing outage']);
 */
export const scenarios: Readonly<Record<ChaosScenarioName, ChaosScenario>> = frozen({
  'all healthy': frozen({}),
  'pricing outage': frozen({ pricing: 'down' }),
  'reviews slow': frozen({ reviews: { mode: 'slow', ms: 3_000 } }),
  'orders down, writes queue': frozen({ orders: 'down' }),
  'auth down (fail closed)': frozen({ auth: 'down' }),
  recovery: frozen({ pricing: { mode: 'down', recover: { afterCalls: 3 } } }),
  'rate limited': frozen({ pricing: { mode: 'rate-limited', retryAfter: 30 } }),
  'flaky network': frozen({ '*': { mode: 'flaky', failureRate: 0.3 } }),
  offline: frozen({ '*': 'offline' }),
});
