/**
 * `brownout/msw`: chaos handlers for MSW 2 — the same handlers in `setupServer` (Node tests),
 * `setupWorker` (the browser, Storybook's `parameters.msw.handlers`, the demo). Imports nothing of
 * Brownout (it works with any client) and touches no browser global at import time.
 *
 * | export             | what it does                                                                 |
 * | ------------------ | ---------------------------------------------------------------------------- |
 * | `outage`           | every call fails: 503 problem+json by default, optional `Retry-After`        |
 * | `rateLimited`      | 429 problem+json with `Retry-After` (seconds, a `Date`, or a string)         |
 * | `networkError`     | the connection fails: fetch rejects with a `TypeError`                       |
 * | `htmlErrorPage`    | a proxy's HTML 502 page instead of JSON                                      |
 * | `malformedProblem` | problem+json that is not valid JSON, or hostile JSON (huge, `__proto__`)     |
 * | `stalledBody`      | headers and a first chunk, then the body never ends                          |
 * | `latency`          | waits (fixed, seeded uniform/exponential, forever), then answers or passes on|
 * | `flaky`            | a seeded share of calls fails                                                |
 * | `sequence`         | call n gets step n (status, response, network error); counts and records     |
 * | `createChaos`      | a controller: switch each dependency's mode at run time, subscribe, count    |
 * | `CHAOS_MODES`      | every mode the controller knows, for a chaos panel                           |
 * | `scenarios`        | ready-made scenarios for the controller (`'pricing outage'`, `'recovery'`…)  |
 * | `problemResponse`  | an `application/problem+json` response                                      |
 * | `toResponse`       | a `Response` from a {@link ChaosResponse}                                    |
 * | `mulberry32`       | the seeded random generator the handlers use                                 |
 *
 * Every factory takes `recover: { afterCalls?, afterMs? }` (and `now`, to inject the clock): from then
 * on, calls pass through to the next handler — the app's own.
 * @example
 * import { setupServer } from 'msw/node';
 * import { createChaos, outage, scenarios } from 'brownout/msw';
 * const server = setupServer(outage('https://api.test/prices', { retryAfter: 30, recover: { afterCalls: 3 } }));
 * const chaos = createChaos({ pricing: '/api/prices*', orders: '/api/orders*' }, { seed: 7 });
 * chaos.apply(scenarios['pricing outage']);
 * @packageDocumentation
 */
export type { ChaosResponse } from './chaosResponse.js';
export { toResponse } from './chaosResponse.js';
export type {
  ChaosController,
  ChaosControllerOptions,
  ChaosMode,
  ChaosModeSetting,
  ChaosModes,
  ChaosRoutes,
  ChaosScenario,
  ChaosSettings,
} from './createChaos.js';
export { CHAOS_MODES, createChaos } from './createChaos.js';
export type { FlakyOptions } from './flaky.js';
export { flaky } from './flaky.js';
export type { HtmlErrorPageOptions } from './htmlErrorPage.js';
export { htmlErrorPage } from './htmlErrorPage.js';
export type { LatencyDistribution, LatencyOptions, LatencyResponse } from './latency.js';
export { latency } from './latency.js';
export type { MalformedProblemKind, MalformedProblemOptions } from './malformedProblem.js';
export { malformedProblem } from './malformedProblem.js';
export { mulberry32 } from './mulberry32.js';
export { networkError } from './networkError.js';
export type { OutageOptions } from './outage.js';
export { outage } from './outage.js';
export { problemResponse } from './problemResponse.js';
export type { RateLimitedOptions } from './rateLimited.js';
export { rateLimited } from './rateLimited.js';
export type { RecoverOptions } from './recovery.js';
export type { RetryAfter } from './retryAfter.js';
export type { ChaosMethod, ChaosOptions } from './route.js';
export type { ChaosScenarioName } from './scenarios.js';
export { scenarios } from './scenarios.js';
export type { SequenceHandle, SequenceStep } from './sequence.js';
export { sequence } from './sequence.js';
export type { StalledBodyOptions } from './stalledBody.js';
export { stalledBody } from './stalledBody.js';
