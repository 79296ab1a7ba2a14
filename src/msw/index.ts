/**
 * `brownout/msw`: chaos handlers for MSW 2, the same in `setupServer` (Node tests), `setupWorker`
 * (the browser, Storybook) and `parameters.msw.handlers`. Imports nothing of Brownout.
 */
export type { FlakyOptions, HtmlErrorPageOptions, LatencyOptions, StalledBodyOptions } from './faults.js';
export { flaky, htmlErrorPage, latency, stalledBody } from './faults.js';
export type { OutageOptions } from './outage.js';
export { outage } from './outage.js';
export type { SequenceHandle, SequenceStep } from './sequence.js';
export { sequence } from './sequence.js';
export type { ChaosMethod, ChaosOptions } from './shared.js';
export { problemResponse, seeded } from './shared.js';
