import {
  createClient,
  createVirtualClock,
  type DegradationState,
  type DegradationStoreOptions,
  type FreshnessState,
} from '../../src/index.js';
import { MAX_FRESHNESS } from '../../src/store/createDegradationStore.js';
import { createFreshnessKeeper } from '../../src/store/freshness.js';
import { recordFreshness } from '../../src/store/index.js';

const MIN = 60_000;

const setup = (store: DegradationStoreOptions = {}) => {
  const clock = createVirtualClock(0);
  const client = createClient({
    clock,
    fetch: async () => new Response('{}'),
    store,
    dependencies: {
      catalogue: { baseUrl: 'https://a.test/catalogue', maxStaleMs: 10 * MIN },
      pricing: { baseUrl: 'https://a.test/pricing', maxStaleMs: 10 * MIN },
    },
  });
  const entry = (
    key: string,
    source: 'network' | 'cache' = 'network',
    fetchedAt = clock.now(),
    dependency = 'catalogue',
  ): FreshnessState => ({ key, dependency, source, fetchedAt, staleAt: fetchedAt + 10 * MIN });
  const write = (e: FreshnessState) => recordFreshness(client.store, e);
  const keys = () => Object.keys(client.store.getState().freshness);
  return { clock, client, store: client.store, entry, write, keys };
};

/** StaleDataNotice's pick before the store kept a summary: a scan of every value, in the record's order. */
const scanPick = (state: DegradationState, dependency: string): FreshnessState | undefined => {
  let pick: FreshnessState | undefined;
  for (const f of Object.values(state.freshness)) {
    if (f.dependency !== dependency) continue;
    if (!pick) pick = f;
    else if (f.source === 'cache' && (pick.source !== 'cache' || f.fetchedAt < pick.fetchedAt)) pick = f;
    else if (f.source === 'network' && pick.source === 'network' && f.fetchedAt > pick.fetchedAt) pick = f;
  }
  return pick;
};
const summaryPick = (state: DegradationState, dependency: string) =>
  state.freshnessOf[dependency]?.oldestCached ?? state.freshnessOf[dependency]?.newestFresh;

test(`the cap holds at 10 000 distinct keys (default ${MAX_FRESHNESS}), keeping the newest`, () => {
  const { clock, store, entry, write, keys } = setup();
  for (let i = 0; i < 10_000; i++) {
    write(entry(`k${i}`));
    clock.advance(1);
  }
  expect(keys()).toHaveLength(MAX_FRESHNESS);
  expect(keys()[0]).toBe(`k${10_000 - MAX_FRESHNESS}`);
  expect(keys().at(-1)).toBe('k9999');
  expect(store.getState().freshnessOf.catalogue?.newestFresh?.key).toBe('k9999');
});

test('distinct URLs through the client: store.maxFreshness bounds freshness', async () => {
  const { client, clock, keys } = setup({ maxFreshness: 100 });
  for (let i = 0; i < 300; i++) {
    await (await client.fetch('catalogue', `/items/${i}`)).text();
    await clock.advanceAsync(1);
  }
  expect(keys()).toHaveLength(100);
  expect(keys()[0]).toBe('GET https://a.test/catalogue/items/200');
  expect(keys().at(-1)).toBe('GET https://a.test/catalogue/items/299');
});

test('eviction: the least recently updated key goes first; an update or a use keeps a key', async () => {
  const { client, clock, entry, write, keys } = setup({ maxFreshness: 3 });
  write(entry('a'));
  write(entry('b'));
  write(entry('c'));
  write(entry('a', 'cache')); // updated: now the most recent
  write(entry('d'));
  expect(keys()).toEqual(['a', 'c', 'd']); // b went; the record keeps each key's first-write order
  write(entry('c')); // equal to what it holds: used, not changed
  write(entry('e'));
  expect(keys()).toEqual(['c', 'd', 'e']); // a went (updated before d), not c (the oldest write, just used)
  // A repeated fresh read within statsIntervalMs changes nothing but keeps its key too.
  const url = (n: string) => `GET https://a.test/catalogue/${n}`;
  const read = async (n: string) => (await client.fetch('catalogue', `/${n}`)).text();
  await read('x');
  await read('y');
  await read('z');
  await clock.advanceAsync(1_000);
  await read('x'); // within statsIntervalMs: no store change, yet x is the most recently used
  await read('w');
  expect(keys()).toEqual([url('x'), url('z'), url('w')]);
});

test('old entries are dropped once they are maxStaleMs past staleAt, when touched or as the oldest', () => {
  const { clock, store, entry, write, keys } = setup(); // maxStaleMs 10 min
  write(entry('old', 'cache', 0)); // too old to show from 10 min ("too old" notice), dropped from 20 min
  clock.advance(5 * MIN);
  write(entry('mid')); // dropped from 25 min
  clock.advance(15 * MIN - 1);
  write(entry('young'));
  expect(keys()).toEqual(['old', 'mid', 'young']); // 1 ms short of 20 min: old is kept
  clock.advance(1);
  write(entry('newest'));
  expect(keys()).toEqual(['mid', 'young', 'newest']); // the oldest, looked at by the next write
  clock.advance(5 * MIN);
  // Touched (written again with the same value) once too old: dropped.
  const before = store.getState().freshness;
  write(store.getState().freshness.mid!);
  expect(keys()).toEqual(['young', 'newest']);
  expect(store.getState().freshness).not.toBe(before);
  clock.advance(20 * MIN);
  write(entry('now'));
  expect(keys()).toEqual(['now']);
  expect(store.getState().freshnessOf).toEqual({
    catalogue: { newestFresh: store.getState().freshness.now },
  });
});

test('references: nothing changed, nothing new; one key changed, the rest kept', () => {
  const { store, entry, write, clock } = setup();
  write(entry('a', 'cache', 0));
  write(entry('p', 'network', 0, 'pricing'));
  const s1 = store.getState();
  const listener = vi.fn();
  store.subscribe(listener);
  write(entry('a', 'cache', 0)); // equal
  write({ ...s1.freshness.p! }); // equal, another object
  expect(listener).not.toHaveBeenCalled();
  expect(store.getState()).toBe(s1);
  // A newer cached value of catalogue: its oldest cached value stays, so its summary is the same object.
  clock.advance(MIN);
  write(entry('b', 'cache'));
  const s2 = store.getState();
  expect(listener).toHaveBeenCalledTimes(1);
  expect(s2.freshness).not.toBe(s1.freshness);
  expect(s2.freshness.a).toBe(s1.freshness.a);
  expect(s2.freshnessOf).toBe(s1.freshnessOf);
  expect(s2.dependencies).toBe(s1.dependencies);
  expect(s2.outbox).toBe(s1.outbox);
  // An older one: catalogue's summary changes, pricing's is the same object.
  write(entry('c', 'cache', -MIN));
  const s3 = store.getState();
  expect(s3.freshnessOf).not.toBe(s2.freshnessOf);
  expect(s3.freshnessOf.catalogue?.oldestCached?.key).toBe('c');
  expect(s3.freshnessOf.pricing).toBe(s2.freshnessOf.pricing);
});

test('per-call work does not grow with the number of keys (entries copied, notifications, age checks)', () => {
  const { store, entry, write, clock } = setup({ maxFreshness: 100 });
  let copied = 0;
  let notifications = 0;
  store.subscribe((s, p) => {
    notifications++;
    // Each new record is built by one assignment per key; the summary is one per dependency.
    if (s.freshness !== p.freshness) copied += Object.keys(s.freshness).length;
    if (s.freshnessOf !== p.freshnessOf) copied += Object.keys(s.freshnessOf).length;
  });
  const work: { copied: number; notifications: number }[] = [];
  for (let i = 0; i < 10_000; i++) {
    copied = 0;
    notifications = 0;
    write(entry(`k${i}`));
    clock.advance(1);
    work.push({ copied, notifications });
  }
  // Per call: one notification, one copy of at most maxFreshness keys (+ the summary of one dependency).
  expect(work.every((w) => w.notifications === 1 && w.copied <= 101)).toBe(true);
  const at = (from: number) => work.slice(from, from + 100);
  expect(at(9_900)).toEqual(at(1_000)); // the same work at 10 000 keys as at 1 000

  // The keeper alone, no cap, entries too old after 1 000 ms: the age checks per write stay bounded (each
  // entry is dropped once), and so does what it keeps.
  let checks = 0;
  const keeper = createFreshnessKeeper(Number.POSITIVE_INFINITY, (f, now) => {
    checks++;
    return now >= f.fetchedAt + 1_000;
  });
  const perPut: number[] = [];
  for (let i = 0; i < 5_000; i++) {
    checks = 0;
    keeper.put(entry(`k${i}`, i % 3 ? 'network' : 'cache', i), i);
    perPut.push(checks);
  }
  expect(Math.max(...perPut)).toBeLessThanOrEqual(2);
  expect(Object.keys(keeper.freshness)).toHaveLength(1_000);
});

test("the per-dependency summary is what a scan of every value would pick (StaleDataNotice's choice)", () => {
  const { store, entry, write, clock } = setup({ maxFreshness: 40 });
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 2_000; i++) {
    const dependency = random() < 0.5 ? 'catalogue' : 'pricing';
    // Few keys and few distinct times: updates, moves between sources and ties are common.
    const at = Math.floor(random() * 20) * 1_000;
    write(entry(`k${Math.floor(random() * 60)}`, random() < 0.4 ? 'cache' : 'network', at, dependency));
    if (random() < 0.05) clock.advance(MIN);
    const s = store.getState();
    for (const d of ['catalogue', 'pricing']) expect(summaryPick(s, d)).toBe(scanPick(s, d));
  }
});

test('freshness set from outside the store is taken up by the next write', () => {
  const { store, entry, write, keys } = setup({ maxFreshness: 2 });
  write(entry('a'));
  store.setState({ freshness: { x: entry('x', 'cache', 0, 'pricing'), y: entry('y') } });
  write(entry('z'));
  expect(keys()).toEqual(['y', 'z']);
  expect(Object.keys(store.getState().freshnessOf)).toEqual(['catalogue']);
});

test('store options are validated: maxFreshness an integer ≥ 1, no unknown keys', () => {
  expect(() => setup({ maxFreshness: 0 })).toThrow(
    new RangeError('createClient: option "store.maxFreshness" must be an integer ≥ 1, got 0.'),
  );
  expect(() => setup({ maxFreshness: 2.5 })).toThrow(RangeError);
  expect(() => setup({ maxFreshness: '10' as unknown as number })).toThrow(TypeError);
  expect(() => setup({ maxFreshnes: 10 } as DegradationStoreOptions)).toThrow(
    /"store.maxFreshnes" is not an option. Did you mean "store.maxFreshness"\?/,
  );
  expect(() => setup({ settleMs: -1 })).toThrow(RangeError);
  expect(() => setup({ settleMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  expect(() => setup({ statsIntervalMs: Number.NaN })).toThrow(TypeError);
  expect(() => setup({ maxFreshness: Number.POSITIVE_INFINITY })).not.toThrow(); // the cap off
});
