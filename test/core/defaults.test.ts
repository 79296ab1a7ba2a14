// @vitest-environment node
import { readFileSync } from 'node:fs';
import { createMemoryCache } from '../../src/cache/index.js';
import { createVirtualClock } from '../../src/core/clock.js';
import { DEFAULTS } from '../../src/core/defaults.js';
import { normalizeBudget, normalizeDependency } from '../../src/core/options.js';
import { RetryBudget } from '../../src/core/RetryBudget.js';
import { createSeededRandom } from '../../src/core/random.js';
import * as root from '../../src/index.js';
import { Outbox } from '../../src/outbox/index.js';

// DEFAULTS is the one place a default lives. The option interfaces' `@default` tags and the README's tables
// are views of it: this test fails when one of them says something else, so a default changes everywhere or
// nowhere. Every leaf of DEFAULTS must be checked by one of the views (or be listed as undocumented below).

type Path = string;
const D = DEFAULTS;
const T = D.dependency.timeouts;
const R = D.dependency.retry;
const B = D.dependency.breaker;

const at = (path: Path): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], DEFAULTS);
const leaves = (value: unknown, prefix = ''): Path[] =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

// ─── (a) the `@default` tags of the option interfaces ────────────────────────────────────────────────────

/** Option interfaces by file, and the DEFAULTS path each one's fields live under. */
const INTERFACES: Record<string, Record<string, Path>> = {
  'src/core/options.ts': {
    TimeoutOptions: 'dependency.timeouts',
    RetryOptions: 'dependency.retry',
    DependencyOptions: 'dependency',
    ClientOptions: 'client',
  },
  'src/core/CircuitBreaker.ts': { BreakerOptions: 'dependency.breaker' },
  'src/core/RetryBudget.ts': { RetryBudgetOptions: 'retryBudget' },
  'src/outbox/Outbox.ts': { OutboxOptions: 'outbox' },
  'src/cache/ResponseCache.ts': { MemoryCacheOptions: 'cache.memory' },
  'src/cache/createIndexedDbCache.ts': { IndexedDbCacheOptions: 'cache.indexedDb' },
};
/** Interfaces in those files whose `@default` tags are not option defaults. */
const NOT_OPTIONS = ['OutboxHost', 'WriteRequest'];

/**
 * `@default` tags that are prose, not a literal. A string: the tag must read exactly that (it names a
 * default of DEFAULTS in words); `null`: a rule or an object with no value in DEFAULTS, skipped.
 */
const PROSE: Record<Path, { expect: string | null; uses?: Path[] }> = {
  'dependency.timeouts.slowMs': {
    expect: T.slowShareOfHeadersMs === 0.5 ? 'half of `headersMs`' : `${T.slowShareOfHeadersMs} × headersMs`,
    uses: ['dependency.timeouts.slowShareOfHeadersMs'],
  },
  'dependency.onFailure': {
    expect: `'${D.dependency.onFailure.critical}' for critical dependencies, else '${D.dependency.onFailure.otherwise}'`,
    uses: ['dependency.onFailure'],
  },
  'dependency.breaker.halfOpenTimeoutMs': {
    expect: `min(timeouts.totalMs, ${B.halfOpenTimeoutMs.toLocaleString('en').replaceAll(',', '_')})`,
    uses: ['dependency.breaker.halfOpenTimeoutMs'],
  },
  // Skipped: rules and objects, not values.
  'dependency.breaker.maxOpenMs': { expect: null }, // openMs (no growth)
  'dependency.idempotencyKeys': { expect: null }, // true when `writes: 'queue'`, else false
  'client.clock': { expect: null }, // systemClock
  'client.random': { expect: null }, // Math.random (at call time)
  'client.cache': { expect: null }, // none in the core client; IndexedDB behind a memory LRU in createClient
  'client.environment': { expect: null }, // the browser's
  'client.fetch': { expect: null }, // globalThis.fetch (looked up at call time)
  'outbox.locks': { expect: null }, // navigator.locks
};

interface Tag {
  file: string;
  iface: string;
  field: string;
  text: string;
}

/** Every `/** … @default X *\/ field?:` of every interface in `file`. */
const tagsOf = (file: string): Tag[] => {
  const source = readFileSync(file, 'utf8');
  const tags: Tag[] = [];
  for (const m of source.matchAll(/^export interface (\w+)[^{]*\{([\s\S]*?)^\}/gm)) {
    for (const f of m[2]!.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(?:readonly\s+)?(\w+)\??\s*[:(]/g)) {
      const doc = f[1]!.replace(/^\s*\*\s?/gm, ' ');
      const at = doc.indexOf('@default');
      if (at < 0) continue;
      const text = doc
        .slice(at + '@default'.length)
        .split(/\s@\w/)[0]!
        .replace(/\s+/g, ' ')
        .trim();
      tags.push({ file, iface: m[1]!, field: f[2]!, text });
    }
  }
  return tags;
};

/** A TSDoc literal (`10_000`, `'full'`, `[408, 429]`, `{ baseMs: 1_000 }`, `Infinity`…), else `NOT`. */
const NOT = Symbol('prose');
const literal = (raw: string): unknown => {
  // A trailing remark in parentheses is a gloss: `86_400_000 (24 h)`, `undefined (off)`.
  const text = raw.replace(/\s*\([^()]*\)$/, '');
  let i = 0;
  const ws = () => {
    while (text[i] === ' ') i++;
  };
  const value = (): unknown => {
    ws();
    const rest = text.slice(i);
    const number = rest.match(/^-?\d[\d_]*(?:\.\d+)?/);
    if (number) {
      i += number[0].length;
      return Number(number[0].replaceAll('_', ''));
    }
    const string = rest.match(/^'([^']*)'/);
    if (string) {
      i += string[0].length;
      return string[1];
    }
    for (const [word, v] of [
      ['Infinity', Number.POSITIVE_INFINITY],
      ['true', true],
      ['false', false],
      ['undefined', undefined],
    ] as const) {
      if (rest.startsWith(word) && !/\w/.test(rest[word.length] ?? '')) {
        i += word.length;
        return v;
      }
    }
    if (rest[0] === '[' || rest[0] === '{') {
      const array = rest[0] === '[';
      const out: unknown[] | Record<string, unknown> = array ? [] : {};
      i++;
      for (ws(); text[i] !== (array ? ']' : '}'); ws()) {
        if (array) (out as unknown[]).push(value());
        else {
          const key = text.slice(i).match(/^(\w+)\s*:/);
          if (!key) throw NOT;
          i += key[0].length;
          (out as Record<string, unknown>)[key[1]!] = value();
        }
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== (array ? ']' : '}')) throw NOT;
      }
      i++;
      return out;
    }
    throw NOT;
  };
  try {
    const v = value();
    ws();
    return i === text.length ? v : NOT;
  } catch (e) {
    if (e === NOT) return NOT;
    throw e;
  }
};

const tags = Object.keys(INTERFACES).flatMap(tagsOf);
const optionTags = tags
  .filter((t) => INTERFACES[t.file]![t.iface] !== undefined)
  .map((t) => ({ ...t, path: `${INTERFACES[t.file]![t.iface]}.${t.field}`, value: literal(t.text) }));
const literalTags = optionTags.filter((t) => t.value !== NOT);
const proseTags = optionTags.filter((t) => t.value === NOT);

describe('the @default tags of the option interfaces are DEFAULTS', () => {
  test('every interface with @default tags is mapped to a DEFAULTS path, or known not to hold options', () => {
    const unmapped = tags.filter((t) => INTERFACES[t.file]![t.iface] === undefined).map((t) => t.iface);
    expect([...new Set(unmapped)].sort()).toEqual([...NOT_OPTIONS].sort());
    expect(literalTags.length).toBeGreaterThan(35);
  });

  test.each(literalTags.map((t) => [`${t.iface}.${t.field} → DEFAULTS.${t.path}`, t] as const))(
    '%s',
    (_, t) => {
      const says = `${t.file}: ${t.iface}.${t.field} says @default ${t.text}`;
      // `undefined`: DEFAULTS has no such key (off, or none).
      if (t.value === undefined)
        expect(Object.hasOwn(at(t.path.replace(/\.\w+$/, '')) as object, t.field), says).toBe(false);
      else expect(at(t.path), says).toEqual(t.value);
    },
  );

  test('the prose tags are exactly the listed ones, and those naming a default say it', () => {
    // Skipped (a rule, not a value): visible here and in PROSE above.
    const skipped = Object.entries(PROSE)
      .filter(([, p]) => p.expect === null)
      .map(([path]) => path);
    expect(skipped).toEqual([
      'dependency.breaker.maxOpenMs',
      'dependency.idempotencyKeys',
      'client.clock',
      'client.random',
      'client.cache',
      'client.environment',
      'client.fetch',
      'outbox.locks',
    ]);
    expect(proseTags.map((t) => t.path).sort()).toEqual(Object.keys(PROSE).sort());
    for (const t of proseTags) {
      const p = PROSE[t.path]!;
      if (p.expect === null) continue;
      expect(t.text, `${t.file}: ${t.iface}.${t.field}`).toBe(p.expect);
    }
  });
});

// ─── (b) the README's option tables ──────────────────────────────────────────────────────────────────────

const group = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
const ms = (n: number) => `${group(n)} ms`;
const s = (n: number) => `${n / 1000} s`;
const code = (v: unknown) => `\`${v}\``;

/** Each README table row that names a default, by its option cell: the default it must show, and from where. */
const README_ROWS: Record<string, { expect: string; uses: Path[] }> = {
  '`timeouts.headersMs`': { expect: ms(T.headersMs), uses: ['dependency.timeouts.headersMs'] },
  '`timeouts.bodyIdleMs`': { expect: ms(T.bodyIdleMs), uses: ['dependency.timeouts.bodyIdleMs'] },
  '`timeouts.totalMs`': { expect: ms(T.totalMs), uses: ['dependency.timeouts.totalMs'] },
  '`retry.maxAttempts`': { expect: String(R.maxAttempts), uses: ['dependency.retry.maxAttempts'] },
  '`retry.baseMs`, `retry.capMs`, `retry.jitter`': {
    expect: `base ${ms(R.baseMs)}, cap ${ms(R.capMs)}`,
    uses: ['dependency.retry.baseMs', 'dependency.retry.capMs'],
  },
  '`retry.statuses`, `retry.networkErrors`': {
    expect: `${R.statuses.join(' ')}${R.networkErrors ? ' + network errors' : ''}`,
    uses: ['dependency.retry.statuses', 'dependency.retry.networkErrors'],
  },
  '`retryBudget: { ratio, minPerSecond, windowMs }`': {
    expect: `${+(D.retryBudget.ratio * 100).toFixed(2)} % of calls over ${s(D.retryBudget.windowMs)}, plus ${D.retryBudget.minPerSecond} retry/s`,
    uses: ['retryBudget'],
  },
  '`retry.maxRetryAfterMs`': {
    expect: `${ms(R.maxRetryAfterMs)} (${R.maxRetryAfterMs / 60_000} min)`,
    uses: ['dependency.retry.maxRetryAfterMs'],
  },
  '`criticality`': { expect: code(D.dependency.criticality), uses: ['dependency.criticality'] },
  '`onFailure`': {
    expect: `${code(D.dependency.onFailure.critical)} for \`critical\`, else ${code(D.dependency.onFailure.otherwise)}`,
    uses: ['dependency.onFailure'],
  },
  '`reads`': { expect: code(D.dependency.reads), uses: ['dependency.reads'] },
  '`writes`': { expect: code(D.dependency.writes), uses: ['dependency.writes'] },
  '`ifMatch`': { expect: code(D.dependency.ifMatch), uses: ['dependency.ifMatch'] },
  '`breaker`': {
    expect: `${B.consecutiveFailures}; ${B.failureRate} over ${ms(B.windowMs)} with ≥ ${B.minimumCalls} calls; ${ms(B.openMs)}; no growth; min(totalMs, ${group(B.halfOpenTimeoutMs)}) ms`,
    uses: ['dependency.breaker'],
  },
  '`maxStaleMs`': { expect: `${D.dependency.maxStaleMs / 3_600_000} h`, uses: ['dependency.maxStaleMs'] },
  '`slo`': { expect: 'none', uses: [] },
  '`maxConcurrent`, `maxQueue`': {
    expect: `${D.dependency.maxConcurrent === Number.POSITIVE_INFINITY ? 'unlimited' : D.dependency.maxConcurrent}, ${D.dependency.maxQueue}`,
    uses: ['dependency.maxConcurrent', 'dependency.maxQueue'],
  },
  '`probe`': { expect: 'none', uses: [] },
  '`timeouts.slowMs`': {
    expect: T.slowShareOfHeadersMs === 0.5 ? 'half of `headersMs`' : `${T.slowShareOfHeadersMs} × headersMs`,
    uses: ['dependency.timeouts.slowShareOfHeadersMs'],
  },
};

/** Defaults the README states in its prose (no table holds them): each sentence must contain its text. */
const README_PROSE: { text: string; uses: Path[] }[] = [
  {
    text: `At most ${D.client.maxErrorBodyBytes / 1024} KiB of an error body is read`,
    uses: ['client.maxErrorBodyBytes'],
  },
  { text: `(database \`${D.cache.indexedDb.databaseName}\`)`, uses: ['cache.indexedDb.databaseName'] },
  { text: `in IndexedDB (\`${D.outbox.databaseName}\`)`, uses: ['outbox.databaseName'] },
  {
    text: `(\`outbox.backoff\`, ${s(D.outbox.backoff.baseMs)} to ${s(D.outbox.backoff.capMs)})`,
    uses: ['outbox.backoff'],
  },
  { text: `\`outbox.leaseMs\` (${s(D.outbox.leaseMs)})`, uses: ['outbox.leaseMs'] },
];

const readme = readFileSync('README.md', 'utf8');
/** The README's prose, its line breaks as spaces (a reflow changes nothing). */
const readmeProse = readme.replace(/\s+/g, ' ');
/** The rows of the README's tables that have a `default` column: option cell → default cell. */
const readmeRows = (): Map<string, string> => {
  const rows = new Map<string, string>();
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || lines[i - 1]?.startsWith('|')) continue;
    const header = cells(lines[i]!);
    const def = header.indexOf('default');
    if (def < 0) continue;
    const key = header.includes('option') ? header.indexOf('option') : header.indexOf('field');
    for (let j = i + 2; lines[j]?.startsWith('|'); j++) {
      const row = cells(lines[j]!);
      rows.set(row[key]!, row[def]!);
    }
  }
  return rows;
};

describe("the README's option tables are DEFAULTS", () => {
  const rows = readmeRows();

  test('every row that names a default is mapped here (a new row must be added to README_ROWS)', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(README_ROWS).sort());
  });

  test.each(Object.entries(README_ROWS))('%s', (key, row) => {
    expect(rows.get(key), `README row ${key}`).toBe(row.expect);
  });

  test.each(README_PROSE.map((p) => [p.text, p] as const))('README says %s', (_, p) => {
    expect(readmeProse).toContain(p.text);
  });

  test('the outbox says how long replay waits when its budget is spent', () => {
    expect(readFileSync('src/outbox/Outbox.ts', 'utf8')).toContain(
      `when it is spent, replay waits ${s(D.outbox.budgetWaitMs)}.`,
    );
  });
});

// ─── (c) the code applies DEFAULTS, and DEFAULTS is what it says ─────────────────────────────────────────

describe('DEFAULTS', () => {
  test('is deeply frozen and reaches the root entry', () => {
    const frozen = (v: unknown): boolean =>
      !v || typeof v !== 'object' || (Object.isFrozen(v) && Object.values(v).every(frozen));
    expect(frozen(DEFAULTS)).toBe(true);
    expect(root.DEFAULTS).toBe(DEFAULTS);
  });

  test('options, budget and breaker validation fill in its values', () => {
    const p = normalizeDependency('d', {});
    const { slowShareOfHeadersMs, ...rest } = T;
    const { headersMs, bodyIdleMs, totalMs } = rest;
    expect(p).toMatchObject({
      criticality: D.dependency.criticality,
      onFailure: D.dependency.onFailure.otherwise,
      reads: D.dependency.reads,
      writes: D.dependency.writes,
      ifMatch: D.dependency.ifMatch,
      maxStaleMs: D.dependency.maxStaleMs,
      maxConcurrent: D.dependency.maxConcurrent,
      maxQueue: D.dependency.maxQueue,
      timeouts: { headersMs, bodyIdleMs, totalMs, slowMs: headersMs * slowShareOfHeadersMs },
      retry: { ...R, statuses: new Set(R.statuses) },
      breaker: { ...B, maxOpenMs: B.openMs, halfOpenTimeoutMs: Math.min(T.totalMs, B.halfOpenTimeoutMs) },
    });
    expect(normalizeDependency('d', { criticality: 'critical' }).onFailure).toBe(
      D.dependency.onFailure.critical,
    );
    expect(normalizeDependency('d', { timeouts: { totalMs: 1_000 } }).breaker.halfOpenTimeoutMs).toBe(1_000);
    expect(normalizeBudget(undefined)).toEqual(D.retryBudget);
    const budget = new RetryBudget(createVirtualClock());
    expect({ ratio: budget.ratio, minPerSecond: budget.minPerSecond, windowMs: budget.windowMs }).toEqual(
      D.retryBudget,
    );
  });

  test('the outbox and the memory cache use its values', () => {
    const outbox = new Outbox(
      { clock: createVirtualClock(), random: createSeededRandom(1), send: async () => new Response() },
      { storage: 'memory', locks: null },
    );
    expect(outbox.leaseMs).toBe(D.outbox.leaseMs);
    expect(outbox.maxWaitMs).toBe(D.outbox.backoff.capMs);
    const { ratio, minPerSecond, windowMs } = outbox.budget;
    expect({ ratio, minPerSecond, windowMs }).toEqual(D.outbox.budget);
    for (let retry = 0; retry < 12; retry++) {
      const wait = outbox.backoff(retry);
      expect(wait).toBeLessThanOrEqual(
        Math.min(D.outbox.backoff.capMs, D.outbox.backoff.baseMs * 2 ** retry),
      );
    }
    outbox.dispose();

    const cache = createMemoryCache();
    const entry = (key: string, bytes = 1) => ({
      key,
      status: 200,
      headers: [],
      body: new Uint8Array(bytes),
      fetchedAt: 0,
    });
    for (let i = 0; i <= D.cache.memory.maxEntries; i++) cache.set(entry(`k${i}`));
    expect(cache.size).toBe(D.cache.memory.maxEntries);
    cache.set(entry('big', D.cache.memory.maxBytes + 1));
    expect(cache.get('big')).toBeUndefined();
    cache.set(entry('fits', D.cache.memory.maxBytes));
    expect(cache.size).toBe(1);
  });

  test('every value is checked by a view (TSDoc, README), or is listed as undocumented', () => {
    const checked = [
      ...literalTags.map((t) => t.path),
      ...Object.values(PROSE).flatMap((p) => p.uses ?? []),
      ...Object.values(README_ROWS).flatMap((r) => r.uses),
      ...README_PROSE.flatMap((p) => p.uses),
      'outbox.budgetWaitMs', // the outbox's own TSDoc, above
    ].flatMap((path) => leaves(at(path), path));
    const UNDOCUMENTED: Path[] = [];
    expect(leaves(DEFAULTS).filter((p) => !checked.includes(p))).toEqual(UNDOCUMENTED);
  });
});
