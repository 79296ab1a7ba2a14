export type { FrozenBody } from './body.js';
export { freezeBody, thawBody } from './body.js';
export type { BegunWrite, OutboxHost, OutboxOptions, WriteRequest } from './Outbox.js';
export { Outbox } from './Outbox.js';
export type { OutboxStorage } from './storage.js';
export { createIndexedDbOutboxStorage, createMemoryOutboxStorage } from './storage.js';
export type { TabLocks } from './tabs.js';
export type { OutboxEntry, OutboxEvents, OutboxStatus, OutboxSummary, WriteState } from './types.js';
