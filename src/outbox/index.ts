export type { FrozenBody } from './body.js';
export { freezeBody, thawBody } from './body.js';
export type { OutboxHost, OutboxOptions, WriteRequest } from './Outbox.js';
export { Outbox } from './Outbox.js';
export type { OutboxStorage } from './storage.js';
export { createIndexedDbOutboxStorage, createMemoryOutboxStorage } from './storage.js';
export type { OutboxEntry, OutboxEvents, OutboxStatus, OutboxSummary } from './types.js';
