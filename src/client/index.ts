export type { Brownout, BrownoutOptions, QueuedWrite } from './createClient.js';
export { createClient, getQueuedWrite } from './createClient.js';
export type { ShareHealthOptions } from './shareHealth.js';
export { shareHealth } from './shareHealth.js';
