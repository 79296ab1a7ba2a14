// @vitest-environment node
// The timeline harness's scenarios (a subset: test/timeline/timeline.test.tsx) against the built demo in
// Debian's chromium, driven through its chaos panel. A recorder injected before the app's scripts logs, with
// performance.now() timestamps, every change of the banner's text and of the live region's, and every /api
// request the page makes (a wrapper around window.fetch, on the same clock). Each test waits for conditions,
// never for fixed durations, then checks what was shown and said against what the server answered, and
// prints a short summary: how long the banner outlived the first good answer, what was said and when, and
// the false statements found (TIMELINE_DUMP=1 prints each whole timeline; a failed test always does).

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type ServedDemo, serveDemo } from './serveDemo.js';

let demo: ServedDemo | undefined;
let browser: Browser;
let url: string;

beforeAll(async () => {
  demo = await serveDemo('brownout-timeline-');
  ({ browser, url } = demo);
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

// ── The recorder ──────────────────────────────────────────────────────────────────────────────────────

type Kind = 'banner' | 'polite' | 'assertive' | 'maintenance' | 'announcer' | 'mark';
/** One change: the new text of the banner (visible text, '' when gone), of a live region, or a test's mark. */
interface Entry {
  readonly t: number;
  readonly kind: Kind;
  readonly text: string;
}
/** One /api request the page made: when it left, when its answer (headers) came or it failed. */
interface Req {
  readonly path: string;
  readonly method: string;
  readonly start: number;
  end?: number;
  status?: number;
  failed?: string;
}
interface Timeline {
  readonly log: Entry[];
  readonly requests: Req[];
}

/** Runs in the page before its scripts (serialized: it may use nothing from this file). */
function recorder(): void {
  const w = window as unknown as { __timeline?: Timeline };
  if (w.__timeline) return;
  const tl: Timeline = { log: [], requests: [] };
  w.__timeline = tl;
  const original = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const href = request ? request.url : input instanceof URL ? input.href : String(input);
    const path = new URL(href, location.href).pathname;
    const promise = original(input, init);
    if (!path.startsWith('/api/')) return promise;
    const r: Req = {
      path,
      method: (init?.method ?? request?.method ?? 'GET').toUpperCase(),
      start: performance.now(),
    };
    tl.requests.push(r);
    promise.then(
      (response) => {
        r.end = performance.now();
        r.status = response.status;
      },
      (error: unknown) => {
        r.end = performance.now();
        r.failed = error instanceof Error ? error.name : String(error);
      },
    );
    return promise;
  };
  // What a sighted user sees: no aria-hidden icons, no visually hidden text; blocks apart.
  const visible = (node: Node | null): string => {
    if (!node) return '';
    const parts: string[] = [];
    const walk = (n: Node): void => {
      if (n.nodeType === Node.TEXT_NODE) {
        parts.push(n.textContent ?? '');
        return;
      }
      if (!(n instanceof Element)) return;
      if (n.getAttribute('aria-hidden') === 'true' || n.classList.contains('brownout-visually-hidden'))
        return;
      const block = /^(P|DIV|LI|UL|SECTION|BUTTON|SPAN)$/.test(n.tagName) ? ' ' : '';
      parts.push(block);
      for (const child of n.childNodes) walk(child);
      parts.push(block);
    };
    walk(node);
    return parts.join('').replace(/\s+/g, ' ').trim();
  };
  const read = (): Record<Exclude<Kind, 'mark'>, string> => {
    const region = document.querySelector('[data-brownout-announcer]');
    return {
      banner: visible(document.querySelector('.brownout-banner')),
      polite: region?.querySelector('[role="status"]')?.textContent?.trim() ?? '',
      assertive: region?.querySelector('[role="alert"]')?.textContent?.trim() ?? '',
      maintenance: document.querySelector('.brownout-maintenance') ? 'shown' : '',
      announcer: region ? 'present' : '',
    };
  };
  let last = { banner: '', polite: '', assertive: '', maintenance: '', announcer: '' };
  new MutationObserver(() => {
    const now = read();
    const t = performance.now();
    for (const kind of Object.keys(now) as (keyof typeof now)[]) {
      if (now[kind] !== last[kind]) tl.log.push({ t, kind, text: now[kind] });
    }
    last = now;
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

// ── Per test: a fresh profile (sessionStorage backend, IndexedDB cache and outbox, service worker) ─────

let context: BrowserContext;
let page: Page;
const errors: string[] = [];
beforeEach(async () => {
  context = await browser.newContext();
  await context.addInitScript(recorder);
  page = await context.newPage();
  errors.length = 0;
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  // Loaded once, healthy: the prices are in the cache and on screen.
  await page.getByText('€4.50').waitFor();
});
afterEach(async () => {
  await context.close();
  expect(errors).toEqual([]);
});

const T = { timeout: 20_000 };
const LONG = { timeout: 30_000 };
const PATHS: Record<string, RegExp> = {
  pricing: /^\/api\/prices$/,
  reviews: /^\/api\/reviews\//,
  recommendations: /^\/api\/recommendations$/,
  orders: /^\/api\/orders$/,
  auth: /^\/api\/auth\/me$/,
};
/** Text that puts an outage on a service (test/timeline/invariants.ts's BLAMES_A_SERVICE). */
const BLAMES_A_SERVICE = /unavailable|not responding|problem with the service|working on it/i;

const chaos = (dependency: string, mode: string) =>
  page.getByRole('combobox', { name: dependency }).selectOption(mode);
const received = () =>
  page.evaluate(
    () =>
      (globalThis as unknown as { brownoutDemo: { state: { received: Record<string, number> } } })
        .brownoutDemo.state.received,
  );
/** The latest timeline read from the page (printed when a test fails). */
let latest: Timeline | undefined;
const timeline = async () => {
  latest = await page.evaluate(() => (window as unknown as { __timeline: Timeline }).__timeline);
  return latest;
};
const mark = (text: string) =>
  page.evaluate((label) => {
    (window as unknown as { __timeline: Timeline }).__timeline.log.push({
      t: performance.now(),
      kind: 'mark',
      text: label,
    });
  }, text);
const banner = (hasText?: string | RegExp) =>
  page.locator('.brownout-banner', hasText === undefined ? {} : { hasText });

// ── Reading a timeline ────────────────────────────────────────────────────────────────────────────────

interface Said {
  readonly t: number;
  readonly region: 'polite' | 'assertive';
  readonly text: string;
}
/** What the live region said: each new non-empty text of either region. */
const announcements = (tl: Timeline): Said[] =>
  tl.log
    .filter((e) => (e.kind === 'polite' || e.kind === 'assertive') && e.text !== '')
    .map((e) => ({ t: e.t, region: e.kind as Said['region'], text: e.text }));
const markAt = (tl: Timeline, text: string): number => {
  const m = tl.log.find((e) => e.kind === 'mark' && e.text === text);
  if (!m) throw new Error(`no mark "${text}"`);
  return m.t;
};
/** The banner's text at `t` ('' when there is none). */
const bannerAt = (tl: Timeline, t: number): string =>
  tl.log.filter((e) => e.kind === 'banner' && e.t <= t).at(-1)?.text ?? '';
/** Intervals in which the banner's text matches `pattern` (open ones end at `end`). */
function bannerSpans(tl: Timeline, pattern: RegExp, end: number): [number, number][] {
  const spans: [number, number][] = [];
  let from: number | undefined;
  for (const e of tl.log.filter((x) => x.kind === 'banner')) {
    const on = pattern.test(e.text);
    if (on && from === undefined) from = e.t;
    if (!on && from !== undefined) {
      spans.push([from, e.t]);
      from = undefined;
    }
  }
  if (from !== undefined) spans.push([from, end]);
  return spans;
}
/** The first answer of `dependency` with a 2xx after `after`: when the app could first know it is back. */
const firstGood = (tl: Timeline, dependency: string, after: number): number | undefined =>
  tl.requests
    .filter((r) => PATHS[dependency]!.test(r.path) && r.start >= after && r.end !== undefined)
    .filter((r) => r.status !== undefined && r.status >= 200 && r.status < 300)
    .map((r) => r.end!)
    .sort((a, b) => a - b)[0];
/** When the banner last went away after `after`. */
const bannerGoneAt = (tl: Timeline, after: number): number | undefined => {
  const last = tl.log.filter((e) => e.kind === 'banner').at(-1);
  return last && last.text === '' && last.t >= after ? last.t : undefined;
};
/**
 * An outage between the marks `down` and `healed`: when it began, the first good answer of `dependency`
 * after the heal, when the banner went, and how long the banner outlived that answer.
 */
function recoveryBetween(tl: Timeline, down: string, healed: string, dependency: string) {
  const t0 = markAt(tl, down);
  const healthyAt = markAt(tl, healed);
  const good = firstGood(tl, dependency, healthyAt);
  const gone = bannerGoneAt(tl, healthyAt);
  expect(good).toBeDefined();
  expect(gone).toBeDefined();
  return { t0, healthyAt, good: good!, gone: gone!, recovery: gone! - good! };
}
const ms = (value: number | undefined): string => (value === undefined ? 'n/a' : `${Math.round(value)} ms`);
const s = (value: number, t0: number): string => `${((value - t0) / 1000).toFixed(1)}s`;

const LABELS = ['Prices', 'Reviews', 'Recommendations', 'Orders', 'Your account'];
/**
 * Whether the banner's text says `sentence`: its words between the labels, in the banner, with the labels
 * it names ("Orders may be out of date." is on "Prices and Orders may be out of date.").
 */
function onBanner(sentence: string, text: string): boolean {
  let marked = sentence.replace(/[.]$/, '');
  const named = LABELS.filter((l) => marked.includes(l));
  for (const label of named) marked = marked.replaceAll(label, '\u0000');
  const words = marked
    .split('\u0000')
    .map((w) => w.replace(/^[\s,]*(and\b)?[\s,]*|[\s,]*(and)?[\s,]*$/g, ''))
    .filter(Boolean);
  return named.every((l) => text.includes(l)) && words.every((w) => text.includes(w));
}

/** The planner keeps announcements 2 s apart on its clock; React may write the first a few ms late. */
const MIN_GAP_MS = 1_900;
const RECOVERY = /Working again|Up to date again|You're back online\./;

/**
 * Statements no scenario may make:
 * - "Trying again…" standing while no request to one of `dependencies` is in flight for more than 2 s;
 * - "Working again"/"Up to date again" about a label the banner still names;
 * - a sentence of trouble said by the live region that the banner does not show (what is heard and what
 *   is seen disagree: "Your changes are saved…" with no change waiting), or that is over within 1 s (a
 *   blip told, left as the live region's last word);
 * - an announcement replaced within {@link MIN_GAP_MS} (it is cut off before it is read), or the same one
 *   twice in a row.
 */
function falseStatements(
  tl: Timeline,
  t0: number,
  opts: { dependencies: readonly string[]; labels: readonly string[] },
): string[] {
  const out: string[] = [];
  for (const span of tryingAgain(tl, opts.dependencies)) {
    if (span.idle > 2_000) {
      out.push(
        `${s(span.from, t0)}–${s(span.to, t0)}: "Trying again…" with nothing in flight for ${ms(span.idle)}`,
      );
    }
  }
  const said = announcements(tl);
  for (const a of said) {
    const shown = bannerAt(tl, a.t);
    if (RECOVERY.test(a.text)) {
      for (const label of opts.labels) {
        if (a.text.includes(label) && shown.includes(label)) {
          out.push(`${s(a.t, t0)}: said "${a.text}" while the banner says "${shown}"`);
        }
      }
      continue;
    }
    // Each sentence of a trouble is on the banner, at the time or within 1 s (React may render one first).
    const banners = [
      shown,
      ...tl.log.filter((e) => e.kind === 'banner' && Math.abs(e.t - a.t) <= 1_000).map((e) => e.text),
    ];
    for (const sentence of a.text.split(/(?<=[.…])\s+/)) {
      if (!banners.some((b) => onBanner(sentence, b))) {
        out.push(`${s(a.t, t0)}: said "${sentence}", which the banner does not say ("${shown}")`);
        continue;
      }
      // Still true a second later: a blip told stays in the live region as the last word, untrue.
      const over = tl.log.find((e) => e.kind === 'banner' && e.t > a.t && !onBanner(sentence, e.text));
      // (Unless the test changed the world meanwhile: then it was over because of that.)
      const changed = tl.log.some(
        (e) => e.kind === 'mark' && e.t >= a.t && over !== undefined && e.t <= over.t,
      );
      if (over && over.t - a.t < 1_000 && !changed) {
        out.push(
          `${s(a.t, t0)}: said "${sentence}", over after ${ms(over.t - a.t)} (the banner: "${over.text}")`,
        );
      }
    }
  }
  said.forEach((a, i) => {
    const next = said[i + 1];
    if (!next) return;
    if (next.t - a.t < MIN_GAP_MS) {
      out.push(`${s(a.t, t0)}: "${a.text}" replaced after ${ms(next.t - a.t)} by "${next.text}"`);
    }
    if (next.text === a.text) out.push(`${s(next.t, t0)}: "${a.text}" said twice in a row`);
  });
  return out;
}

/** Each stretch of "Trying again…" on the banner, with its longest time with no request of `dependencies` out. */
function tryingAgain(tl: Timeline, dependencies: readonly string[]) {
  const end = Math.max(...tl.log.map((e) => e.t), ...tl.requests.map((r) => r.end ?? r.start));
  const mine = tl.requests.filter((r) => dependencies.some((d) => PATHS[d]!.test(r.path)));
  return bannerSpans(tl, /Trying again/i, end).map(([from, to]) => {
    let cursor = from;
    let idle = 0;
    const busy = mine
      .map((r) => [r.start, r.end ?? end] as const)
      .filter(([a, b]) => b > from && a < to)
      .sort((a, b) => a[0] - b[0]);
    for (const [a, b] of busy) {
      if (a > cursor) idle = Math.max(idle, a - cursor);
      cursor = Math.max(cursor, b);
    }
    if (to > cursor) idle = Math.max(idle, to - cursor);
    return { from, to, idle };
  });
}

/** Times the banner went away and came back within 1 s (reported, not asserted: a few ms go unseen). */
function blinks(tl: Timeline): { at: number; ms: number }[] {
  const out: { at: number; ms: number }[] = [];
  const entries = tl.log.filter((e) => e.kind === 'banner');
  entries.forEach((e, i) => {
    const back = entries.slice(i + 1).find((x) => x.text !== '');
    const before = entries[i - 1];
    if (e.text === '' && before?.text && back && back.t - e.t < 1_000)
      out.push({ at: e.t, ms: back.t - e.t });
  });
  return out;
}

/** The shortest time between two announcements (undefined with fewer than two). */
const minGap = (tl: Timeline): number | undefined => {
  const said = announcements(tl);
  const gaps = said.slice(1).map((a, i) => a.t - said[i]!.t);
  return gaps.length ? Math.min(...gaps) : undefined;
};

function summary(
  name: string,
  tl: Timeline,
  t0: number,
  recovery: number | undefined,
  found: readonly string[],
  dependencies: readonly string[],
): void {
  const spans = tryingAgain(tl, dependencies);
  const gaps = blinks(tl);
  const said = announcements(tl)
    .map((a) => `${s(a.t, t0)} ${a.region === 'assertive' ? '(alert) ' : ''}"${a.text}"`)
    .join('; ');
  console.log(
    [
      `[timeline] ${name}`,
      `  first good response → banner gone: ${recovery === undefined ? 'n/a' : `${(recovery / 1000).toFixed(2)} s`}`,
      `  announced: ${said || 'nothing'} (shortest gap: ${ms(minGap(tl))})`,
      `  "Trying again…": ${spans.length} time(s), ${spans.map((x) => `${s(x.from, t0)} for ${ms(x.to - x.from)}, idle ${ms(x.idle)}`).join('; ') || '—'}`,
      `  banner blinks (gone, back within 1 s): ${gaps.map((b) => `${s(b.at, t0)} for ${ms(b.ms)}`).join('; ') || 'none'}`,
      `  false statements (${found.length}): ${found.length === 0 ? 'none' : found.join(' | ')}`,
    ].join('\n'),
  );
}

/** The whole timeline, from the first mark on, for a failure's report. */
function dump(tl: Timeline): string {
  const t0 = tl.log.find((e) => e.kind === 'mark')?.t ?? 0;
  const rows = [
    ...tl.log.filter((e) => e.t >= t0).map((e) => ({ t: e.t, line: `${e.kind}: ${JSON.stringify(e.text)}` })),
    ...tl.requests
      .filter((r) => r.start >= t0)
      .map((r) => ({
        t: r.start,
        line: `${r.method} ${r.path} → ${r.status ?? r.failed ?? 'pending'}${r.end === undefined ? '' : ` at ${s(r.end, t0)}`}`,
      })),
  ].sort((a, b) => a.t - b.t);
  return rows.map((r) => `${((r.t - t0) / 1000).toFixed(3).padStart(7)}s ${r.line}`).join('\n');
}

/** A scenario: when it fails, its whole timeline is printed. */
const scenario = (name: string, body: () => Promise<void>) =>
  test(name, async ({ onTestFailed }) => {
    latest = undefined;
    onTestFailed(() => {
      if (latest) console.log(`[timeline] ${name}: FAILED; the timeline:\n${dump(latest)}`);
    });
    try {
      await body();
      // TIMELINE_DUMP=1 prints every scenario's timeline, not only a failed one's.
      if (process.env.TIMELINE_DUMP && latest) console.log(`[timeline] ${name}:\n${dump(latest)}`);
    } catch (error) {
      await timeline().catch(() => undefined);
      throw error;
    }
  });
const said = async (pattern: RegExp) => announcements(await timeline()).some((a) => pattern.test(a.text));
const setChaos = (dependency: string, mode: string) =>
  page.evaluate(
    ([d, m]) =>
      (
        globalThis as unknown as { brownoutDemo: { chaos: { set(d: string, m: string): void } } }
      ).brownoutDemo.chaos.set(d!, m!),
    [dependency, mode],
  );

// ── Scenarios ─────────────────────────────────────────────────────────────────────────────────────────

// The saved prices show with their age; the banner goes within 3 s of the first good answer (and not
// before it); the outage and "Up to date again: Prices." are each said once, the recovery once it held.
scenario('pricing down, then healthy', async () => {
  await mark('pricing down');
  await chaos('pricing', 'down');
  await banner('Showing saved data').waitFor(T);
  await expect.poll(() => said(/Prices may be out of date/), T).toBe(true);
  await mark('pricing healthy');
  await chaos('pricing', 'healthy');
  await banner().waitFor({ state: 'detached', ...LONG });
  await expect.poll(() => said(/Up to date again: Prices\./), T).toBe(true);

  const tl = await timeline();
  const { t0, gone, recovery } = recoveryBetween(tl, 'pricing down', 'pricing healthy', 'pricing');
  const all = announcements(tl);
  const found = falseStatements(tl, t0, { dependencies: ['pricing'], labels: ['Prices'] });
  if (recovery < 0) found.push(`banner gone ${ms(-recovery)} before the first good pricing answer`);
  summary('pricing down → healthy', tl, t0, recovery, found, ['pricing']);
  const upToDate = all.find((a) => /Up to date again/.test(a.text))!;
  console.log(`  recovery said ${ms(upToDate.t - gone!)} after the banner went`);

  expect
    .soft(tl.log.some((e) => e.kind === 'banner' && /^Showing saved data from \d+ seconds? ago/.test(e.text)))
    .toBe(true);
  expect.soft(recovery).toBeGreaterThanOrEqual(0);
  expect.soft(recovery).toBeLessThan(3_000);
  expect.soft(all.filter((a) => /Prices may be out of date/.test(a.text))).toHaveLength(1);
  expect.soft(all.filter((a) => /Up to date again: Prices\./.test(a.text))).toHaveLength(1);
  // Said once it has held (5 s on the planner's clock; a little slack for the page's timers).
  expect.soft(upToDate.t - gone!).toBeGreaterThan(4_500);
  expect.soft(found).toEqual([]);
});

// Retry-After honoured (no call within 3 s of a 429); healthy behind the app's back (no select, so no
// refetch; no reload, no focus), the banner ends by itself, on the app's own probe; "Trying again…" only
// while a pricing request is out.
scenario('pricing rate-limited (Retry-After: 3), then healthy', async () => {
  // The panel's select sets rate-limited with the default Retry-After of 30 s: give its mode 3 s instead,
  // so that the select (and the refetch it makes) still starts the scenario.
  await page.evaluate(() => {
    type Chaos = { set(d: string, m: string, s?: object): void };
    const c = (globalThis as unknown as { brownoutDemo: { chaos: Chaos } }).brownoutDemo.chaos;
    const set = c.set.bind(c);
    c.set = (d, m, settings) => set(d, m, m === 'rate-limited' ? { retryAfter: 3, ...settings } : settings);
  });
  await mark('pricing rate-limited');
  await chaos('pricing', 'rate-limited');
  await banner(/busy and asked us to wait/).waitFor(T);
  const limited = async () =>
    (await timeline()).requests.filter((r) => r.path === '/api/prices' && r.status === 429).length;
  // A wait ran out, and the app asked again by itself (and was told to wait again).
  await expect.poll(limited, T).toBeGreaterThanOrEqual(2);
  await mark('pricing healthy');
  await setChaos('pricing', 'healthy');
  await banner().waitFor({ state: 'detached', ...LONG });
  await expect.poll(() => said(/Up to date again: Prices\./), T).toBe(true);

  const tl = await timeline();
  const { t0, healthyAt, good, recovery } = recoveryBetween(
    tl,
    'pricing rate-limited',
    'pricing healthy',
    'pricing',
  );
  const answers429 = tl.requests.filter((r) => r.path === '/api/prices' && r.status === 429);
  const found = falseStatements(tl, t0, { dependencies: ['pricing'], labels: ['Prices'] });
  if (recovery < 0) found.push(`banner gone ${ms(-recovery)} before the first good pricing answer`);
  for (const r of answers429) {
    const early = tl.requests.find(
      (o) => o.path === '/api/prices' && o.start > r.end! && o.start < r.end! + 2_900,
    );
    if (early)
      found.push(
        `${s(early.start, t0)}: asked again ${ms(early.start - r.end!)} after a 429 (Retry-After: 3)`,
      );
  }
  summary('pricing rate-limited (Retry-After 3) → healthy', tl, t0, recovery, found, ['pricing']);
  console.log(
    `  429s at ${answers429.map((r) => s(r.end!, t0)).join(', ')}; healthy at ${s(healthyAt, t0)}; first 200 at ${s(good!, t0)}`,
  );

  expect.soft(recovery).toBeGreaterThanOrEqual(0);
  expect.soft(recovery).toBeLessThan(3_000);
  // Nothing refetched it: the first good answer was the app's own probe, at the end of the hold.
  expect.soft(good! - healthyAt).toBeLessThan(10_000);
  expect.soft(found).toEqual([]);
});

// Offline (navigator.onLine false) is told as offline and blames no service, no request goes out; a write
// made offline is queued ("when you're back online"), and back online it reaches the backend exactly once.
scenario('offline, then online, with a write made offline', async () => {
  const fails = page.getByRole('checkbox', { name: /Every request fails to connect/ });
  await mark('offline');
  await context.setOffline(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  // Chromium's offline emulation does not reach MSW's service worker: it still answers /api/* (a fetch of
  // /api/prices gets 200 while navigator.onLine is false). So every dependency also fails to connect (the
  // panel's checkbox: chaos 'offline' for each), as on a device without a network.
  await fails.check();
  await banner("You're offline").waitFor(T);
  await page.getByRole('button', { name: 'Add Clay cup to cart' }).click();
  await page.getByText('1 change waiting to be sent').waitFor(T);
  await page.getByText("Saved — it will be sent when you're back online.").waitFor(T);
  await banner("Your changes will be sent when you're back online.").waitFor(T);
  // The live region has told the queued write too (2 s at least after it said offline).
  await expect.poll(() => said(/changes will be sent/), T).toBe(true);
  const main = (await page.locator('main').first().textContent())?.replace(/\s+/g, ' ') ?? '';
  expect(await received()).toEqual({});
  // The network works again, then the device says it is online.
  await fails.uncheck();
  await mark('online');
  await context.setOffline(false);
  await page.getByText('1 item in your cart').waitFor(T);
  await page.getByText('1 change waiting to be sent').waitFor({ state: 'detached', ...T });
  await banner().waitFor({ state: 'detached', ...T });
  await expect.poll(() => said(/You're back online\./), T).toBe(true);

  const tl = await timeline();
  const t0 = markAt(tl, 'offline');
  const onlineAt = markAt(tl, 'online');
  const found = falseStatements(tl, t0, { dependencies: ['orders'], labels: ['Orders'] });
  const during = tl.log.filter(
    (e) => e.t >= t0 + 1_000 && e.t < onlineAt && ['banner', 'polite', 'assertive'].includes(e.kind),
  );
  for (const e of during) {
    if (BLAMES_A_SERVICE.test(e.text)) found.push(`${s(e.t, t0)}: offline, yet ${e.kind} says "${e.text}"`);
  }
  if (BLAMES_A_SERVICE.test(main)) found.push(`offline, yet the page says "${main}"`);
  const offlineSaid = announcements(tl).some((a) => a.t < onlineAt && /offline/i.test(a.text));
  if (!/offline/i.test(bannerAt(tl, onlineAt)) || !offlineSaid) found.push('offline, and not told so');
  // Nothing is sent while offline (it would fail to connect: the app knows better than to try).
  for (const r of tl.requests.filter((x) => x.start > t0 + 100 && x.start < onlineAt)) {
    found.push(`${s(r.start, t0)}: ${r.method} ${r.path} sent while offline`);
  }
  const posts = tl.requests.filter((r) => r.method === 'POST' && r.path === '/api/orders');
  const gone = bannerGoneAt(tl, onlineAt);
  // Back online, the first good answer that ends the banner is the queued write's.
  const good = posts.find((r) => r.status !== undefined && r.status < 300)?.end;
  const recovery = gone !== undefined && good !== undefined ? gone - good : undefined;
  summary('offline → online with a write made offline', tl, t0, recovery, found, ['orders']);
  console.log(
    `  offline for ${ms(onlineAt - t0)}; POST /api/orders ${posts.map((r) => `${s(r.start, t0)} → ${r.status ?? r.failed}`).join(', ')}; banner gone at ${gone === undefined ? 'n/a' : s(gone, t0)}`,
  );

  expect.soft(Object.values(await received())).toEqual([1]);
  expect.soft(posts).toHaveLength(1);
  expect.soft(recovery).toBeLessThan(3_000);
  expect.soft(found).toEqual([]);
});

// A queued write replayed into 401 waits for sign-in (not "could not be sent"): the cart says so in words, no
// request is made while it waits, and "Send now" after signing in sends it once; the cart then shows it.
scenario('orders down with a write, then answering 401: sign in again, then sent once', async () => {
  await mark('orders down');
  await chaos('orders', 'down');
  await page.getByRole('button', { name: 'Add Clay cup to cart' }).click();
  await page.getByText('1 change waiting to be sent').waitFor(T);
  await mark('orders 401');
  await page.evaluate(() => {
    type Chaos = { set(d: string, m: string, s?: object): void };
    (globalThis as unknown as { brownoutDemo: { chaos: Chaos } }).brownoutDemo.chaos.set('orders', 'down', {
      status: 401,
    });
  });
  await page.getByText('Sign in again to send your saved change').waitFor(LONG);
  const paused = (await timeline()).requests.filter((r) => r.method === 'POST' && r.path === '/api/orders');
  // Waiting for sign-in is waiting: a few seconds later, still no second try of the write.
  await page.waitForFunction(() => new Promise((resolve) => setTimeout(() => resolve(true), 3_000)));
  const stillPaused = (await timeline()).requests.filter(
    (r) => r.method === 'POST' && r.path === '/api/orders',
  );
  await mark('signed in');
  await setChaos('orders', 'healthy');
  await page.getByRole('button', { name: /^Send now/ }).click();
  await page.getByText('1 item in your cart').waitFor(T);
  await page.getByText('Sign in again to send your saved change').waitFor({ state: 'detached', ...T });

  const tl = await timeline();
  const t0 = markAt(tl, 'orders down');
  const posts = tl.requests.filter((r) => r.method === 'POST' && r.path === '/api/orders');
  console.log(
    `  POST /api/orders ${posts.map((r) => `${s(r.start, t0)} → ${r.status ?? r.failed}`).join(', ')}; signed in at ${s(markAt(tl, 'signed in'), t0)}`,
  );
  const texts = tl.log.filter((e) => e.t >= markAt(tl, 'orders 401')).map((e) => e.text);
  expect.soft(texts.some((t) => /could not be sent/i.test(t))).toBe(false);
  expect.soft(posts.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
  expect.soft(stillPaused).toHaveLength(paused.length);
  expect.soft(posts.filter((r) => r.status !== undefined && r.status < 300)).toHaveLength(1);
  expect.soft(Object.values(await received())).toEqual([1]);
});

const FOUR = ['pricing', 'orders', 'reviews', 'recommendations'];

// The banner tells each part, most severe first: prices out of date, changes sent later, reviews (and
// recommendations) can't be shown; the live region never replaces an announcement within 2 s.
scenario('pricing, orders, reviews and recommendations down at once', async () => {
  await mark('four down');
  for (const dependency of FOUR) await chaos(dependency, 'down');
  // Settled: the live region has had its say about all four (2 s between announcements, 5 s between two
  // about one part: its last word may come seconds after the banner's).
  await expect
    .poll(async () => {
      const text = announcements(await timeline())
        .map((a) => a.text)
        .join(' ');
      // Orders: by name, or by what it means for the user (its changes are sent later).
      return (
        ['Prices', 'Reviews', 'Recommendations'].every((w) => text.includes(w)) &&
        /Orders|sent later/.test(text)
      );
    }, LONG)
    .toBe(true);
  await banner(/Reviews/)
    .filter({ hasText: /Recommendations/ })
    .waitFor(T);

  const tl = await timeline();
  const t0 = markAt(tl, 'four down');
  const text = bannerAt(tl, Number.POSITIVE_INFINITY);
  const found = falseStatements(tl, t0, {
    dependencies: FOUR,
    labels: ['Prices', 'Orders', 'Reviews', 'Recommendations'],
  });
  summary('pricing + orders + reviews + recommendations down', tl, t0, undefined, found, FOUR);
  console.log(`  banner, settled: "${text}"`);

  expect.soft(text).toMatch(/^Showing saved data from/);
  const lines = {
    'prices may be out of date': text.search(/Prices\b[^.]* may be out of date/),
    'changes are sent later': text.search(/sent later/),
    "reviews can't be shown": text.search(/Reviews\b[^.]* can't be shown/),
  };
  for (const [what, at] of Object.entries(lines)) {
    expect.soft(at, `the banner says ${what}`).toBeGreaterThan(-1);
  }
  // Recommendations: hidden once its breaker opens, out of date while its saved copy shows.
  expect.soft(text).toMatch(/Recommendations\b[^.]* (can't be shown|may be out of date)/);
  const at = Object.values(lines).filter((i) => i >= 0);
  expect.soft(at, 'most severe first').toEqual([...at].sort((a, b) => a - b));
  expect.soft(found).toEqual([]);
});

// The maintenance screen replaces the shop; the live region (the provider's) stays in the page and says
// the outage assertively, once; back to the shop within 3 s of the first good answer, "Working again" once.
scenario('auth down, then healthy', async () => {
  await mark('auth down');
  await chaos('auth', 'down');
  await page.locator('.brownout-maintenance').waitFor(T);
  await expect.poll(() => said(/Your account can't be used/), T).toBe(true);
  expect(await page.locator('[data-brownout-announcer]').count()).toBe(1);
  await mark('auth healthy');
  await chaos('auth', 'healthy');
  await page.getByText('Signed in as Ada').waitFor(LONG);
  await banner().waitFor({ state: 'detached', ...T });
  await expect.poll(() => said(/again: Your account\./), T).toBe(true);

  const tl = await timeline();
  const { t0, healthyAt, good, recovery } = recoveryBetween(tl, 'auth down', 'auth healthy', 'auth');
  const shopBack = tl.log.filter((e) => e.kind === 'maintenance' && e.text === '' && e.t > t0).at(-1)?.t;
  const found = falseStatements(tl, t0, { dependencies: ['auth'], labels: ['Your account'] });
  if (recovery < 0) found.push(`banner gone ${ms(-recovery)} before the first good auth answer`);
  for (const e of tl.log.filter((x) => x.kind === 'maintenance' && x.text === 'shown')) {
    const region = tl.log.filter((x) => x.kind === 'announcer' && x.t <= e.t).at(-1);
    if (region?.text !== 'present') found.push(`${s(e.t, t0)}: the maintenance screen without a live region`);
  }
  if (tl.log.some((e) => e.kind === 'announcer' && e.text === '' && e.t > t0)) {
    found.push('the live region left the page');
  }
  const all = announcements(tl);
  summary('auth down → healthy', tl, t0, recovery, found, ['auth']);
  console.log(
    `  maintenance screen gone ${ms(shopBack === undefined ? undefined : shopBack - good!)} after the first good /api/auth/me (healthy at ${s(healthyAt, t0)}, first 200 at ${s(good!, t0)})`,
  );

  const outage = all.filter((a) => /Your account can't be used/.test(a.text));
  expect.soft(outage).toHaveLength(1);
  expect.soft(outage[0]?.region).toBe('assertive');
  expect.soft(recovery).toBeGreaterThanOrEqual(0);
  expect.soft(recovery).toBeLessThan(3_000);
  expect.soft(found).toEqual([]);
  expect.soft(all.filter((a) => /Working again: Your account\./.test(a.text))).toHaveLength(1);
});
