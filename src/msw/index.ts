/**
 * `brownout/msw`: chaos handlers for MSW 2 — the same handlers in `setupServer` (Node tests),
 * `setupWorker` (the browser, Storybook's `parameters.msw.handlers`, the demo). Imports nothing of
 * Brownout (it works with any client) and touches no browser global at import time.
 *
 * | export            | what it does                                                             |
 * | ----------------- | ------------------------------------------------------------------------ |
 * | `outage`          | every call fails: 503 problem+json by default, optional `Retry-After`    |
 * | `sequence`        | call n gets step n (status, response, network error); counts and records |
 * | `htmlErrorPage`   | a proxy's HTML 502 page instead of JSON                                  |
 * | `stalledBody`     | headers and a first chunk, then the body never ends                      |
 * | `latency`         | waits (fixed, seeded random, or forever), then answers or passes through |
 * | `flaky`           | a seeded share of calls fails                                            |
 * | `problemResponse` | an `application/problem+json` response                                   |
 * | `toResponse`      | a `Response` from a {@link ChaosResponse}                                |
 * | `mulberry32`      | the seeded random generator the handlers use                             |
 * @example
 * import { setupServer } from 'msw/node';
 * import { outage, sequence } from 'brownout/msw';
 * const server = setupServer(outage('https://api.test/prices', { retryAfter: 30 }));
 * @packageDocumentation
 */
export type { ChaosResponse } from './chaosResponse.js';
export { toResponse } from './chaosResponse.js';
export type { FlakyOptions } from './flaky.js';
export { flaky } from './flaky.js';
export type { HtmlErrorPageOptions } from './htmlErrorPage.js';
export { htmlErrorPage } from './htmlErrorPage.js';
export type { LatencyOptions, LatencyResponse } from './latency.js';
export { latency } from './latency.js';
export { mulberry32 } from './mulberry32.js';
export type { OutageOptions } from './outage.js';
export { outage } from './outage.js';
export { problemResponse } from './problemResponse.js';
export type { ChaosMethod, ChaosOptions } from './route.js';
export type { SequenceHandle, SequenceStep } from './sequence.js';
export { sequence } from './sequence.js';
export type { StalledBodyOptions } from './stalledBody.js';
export { stalledBody } from './stalledBody.js';
