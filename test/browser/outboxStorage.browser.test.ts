// The outbox's IndexedDB storage is compare-and-set: what keeps a stale tab from resurrecting a delivered write.
import { createIndexedDbOutboxStorage, type OutboxEntry } from '../../src/index.js';

const entry = (version: number, status: OutboxEntry['status'] = 'queued'): OutboxEntry => ({
  id: 'e1',
  dependency: 'orders',
  method: 'POST',
  url: 'https://api.test/orders',
  body: { kind: 'text', text: '{}' },
  headers: [],
  idempotencyKey: 'k1',
  createdAt: 0,
  seq: 1,
  version,
  attempts: 0,
  status,
  nextAttemptAt: 0,
});

test('two connections (two tabs): a put expecting an old version is refused and stores nothing', async () => {
  const name = `brownout-cas-${Date.now()}`;
  const a = createIndexedDbOutboxStorage(name);
  const b = createIndexedDbOutboxStorage(name);
  expect(await a.put(entry(1), undefined)).toBe(true);
  // Inserting again (a second tab thinking it is new) is refused.
  expect(await b.put(entry(1), undefined)).toBe(false);
  // Tab b claims it (1 → 2); tab a, still at 1, tries to move it: refused.
  expect(await b.put(entry(2, 'sending'), 1)).toBe(true);
  expect(await a.put(entry(2, 'queued'), 1)).toBe(false);
  expect((await a.all()).map((e) => [e.version, e.status])).toEqual([[2, 'sending']]);
  // b delivers and removes it; a's stale update cannot bring it back, nor can its conditional discard delete.
  expect(await b.remove('e1')).toBe(true);
  expect(await a.put(entry(3, 'queued'), 2)).toBe(false);
  expect(await a.all()).toEqual([]);
  await b.put({ ...entry(1), id: 'e2' }, undefined);
  expect(await a.remove('e2', 5)).toBe(false);
  expect((await a.all()).map((e) => e.id)).toEqual(['e2']);
  a.close?.();
  b.close?.();
  indexedDB.deleteDatabase(name);
});

test('entries stored before versions existed read as version 0 and can be claimed from it', async () => {
  const name = `brownout-cas-old-${Date.now()}`;
  const storage = createIndexedDbOutboxStorage(name);
  const { version: _v, ...old } = entry(1);
  expect(await storage.put(old as OutboxEntry, undefined)).toBe(true);
  expect((await storage.all())[0]!.version).toBe(0);
  expect(await storage.put(entry(1, 'sending'), 0)).toBe(true);
  storage.close?.();
  indexedDB.deleteDatabase(name);
});
