/**
 * The timeline harness: a scenario is data (what each dependency does from which second), played on a
 * virtual clock against the real client, store, query adapter and UI kit rendered in jsdom. Every simulated
 * second records what the user sees (banner, notices, values, ages) and hears (the live regions), and the
 * fake server records every request it got. Invariants (./invariants.ts) read the run afterwards.
 *
 * Nothing waits on real time: the clock moves only in `clock.advanceAsync` inside React's `act`, TanStack's
 * timers and `Date.now` follow the same clock, and every random draw is seeded.
 *
 * @example
 * const run = await play({
 *   name: 'pricing down 30 s',
 *   seconds: 60,
 *   app: { reads: ['pricing'], writes: ['orders'] },
 *   steps: [
 *     { at: 5, dependency: 'pricing', condition: 'down' },
 *     { at: 8, dependency: 'orders', condition: { write: { sku: 'mug' } } },
 *     { at: 35, dependency: 'pricing', condition: 'healthy' },
 *   ],
 * });
 * check(run, [eachOutageTold(), noDegradedTextAfterRecovery(35)]); // from ./invariants.ts
 */
import {
  type DefaultError,
  defaultScheduler,
  focusManager,
  hashKey,
  notifyManager,
  onlineManager,
  type TimeoutProvider,
  timeoutManager,
} from '@tanstack/query-core';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, type RenderResult, render } from '@testing-library/react';
import { type ReactNode, useSyncExternalStore } from 'react';
import { vi } from 'vitest';
import {
  BrownoutProvider,
  BrownoutUIProvider,
  Degradable,
  DegradationBanner,
  ProblemNotice,
  QueuedWritesIndicator,
  StaleDataNotice,
} from '../../src/entries/react.js';
import {
  type Brownout,
  createClient,
  createMemoryCache,
  createMemoryOutboxStorage,
  createSeededRandom,
  createVirtualClock,
  type DegradationLevel,
  type DependencyOptions,
  getQueuedWrite,
  type OutboxStorage,
  type Random,
  type VirtualClock,
} from '../../src/index.js';
import { bindQueryClient, createQueryFn } from '../../src/query/index.js';

// ── Scenarios as data ─────────────────────────────────────────────────────────────────────────────────

export type Dep = 'pricing' | 'reviews' | 'recommendations' | 'orders' | 'auth';

/** How the fake server answers one dependency from a step on, until the next step for it. */
export type Condition =
  | 'healthy'
  /** 503 with a JSON problem body. */
  | 'down'
  /** Answers (200) after 3 × the dependency's headersMs, or after `slow` ms. */
  | 'slow'
  | { slow: number }
  /** 200 headers, one chunk of body, then nothing ever again; `{ stalled: n }`: the next n requests, then healthy. */
  | 'stalled'
  | { stalled: number }
  /** 429 with `Retry-After: seconds` while it lasts (a later step says healthy). */
  | { rateLimited: number }
  /** Each request fails (503) with `failureRate`, drawn from a PRNG seeded per step. */
  | { flaky: { seed: number; failureRate: number } }
  /** 401 with a JSON problem body. */
  | 'unauthorized';

/** What the app does at a step: a POST of `write` to the dependency (its outbox may queue it). */
export interface WriteAction {
  write: unknown;
}

/** Events of the page or the device, not of one dependency. */
/** `sign-in`: the user signed in again; the app calls `client.outbox.resume()`. */
export type GlobalCondition = 'offline' | 'online' | 'hidden' | 'visible' | 'reload' | 'sign-in';

export type Step =
  | { readonly at: number; readonly dependency: Dep; readonly condition: Condition | WriteAction }
  | { readonly at: number; readonly dependency?: undefined; readonly condition: GlobalCondition };

export interface AppOptions {
  /** Dependencies the page reads (one `useQuery` each; optional ones inside `<Degradable>`). @default pricing, reviews */
  reads?: readonly Dep[];
  /** Dependencies the page writes to (they are in the client even if never read). @default orders */
  writes?: readonly Dep[];
  /** TanStack `refetchInterval` of every read: the page polls, as a shop page with live prices does. @default 10_000 */
  refetchIntervalMs?: number | false;
  /** The seed of the client's and the adapter's randomness. @default 1 */
  seed?: number;
  /** How long a healthy (or failing) answer takes, in ms. @default 50 */
  latencyMs?: number;
}

export interface Scenario {
  readonly name: string;
  /** Simulated seconds; frames are recorded at 0 … seconds. */
  readonly seconds: number;
  /** Applied at their second (in order), before that second's frame is recorded. */
  readonly steps: readonly Step[];
  readonly app?: AppOptions;
  /** Nothing survives a reload: the outbox is memory-only (and says so), and so is the read cache. */
  readonly memoryOnly?: boolean;
}

// ── The shop the app talks to ─────────────────────────────────────────────────────────────────────────

export const ORIGIN = 'https://shop.test';
/** The test's tag on each write, so that replays after reloads are still traced to the write that made them. */
export const WRITE_TAG = 'x-timeline-write';

export const LABELS: Readonly<Record<Dep, string>> = {
  pricing: 'Prices',
  reviews: 'Reviews',
  orders: 'Orders',
  auth: 'Account',
  recommendations: 'Recommendations',
};

const HOUR = 3_600_000;
export const POLICIES: Readonly<Record<Dep, DependencyOptions>> = {
  pricing: {
    baseUrl: ORIGIN,
    reads: 'cache',
    maxStaleMs: 24 * HOUR,
    timeouts: { headersMs: 2000, totalMs: 5000 },
    breaker: { consecutiveFailures: 3, openMs: 10_000 },
  },
  reviews: { baseUrl: ORIGIN, criticality: 'optional' },
  recommendations: { baseUrl: ORIGIN, criticality: 'optional' },
  orders: {
    baseUrl: ORIGIN,
    writes: 'queue',
    idempotencyKeys: true,
    breaker: { consecutiveFailures: 2, openMs: 8000 },
  },
  auth: { baseUrl: ORIGIN, criticality: 'critical', onFailure: 'closed', reads: 'none' },
};
const OPTIONAL = new Set<Dep>(['reviews', 'recommendations']);
/** The core's default, for dependencies whose policy does not set one. */
const DEFAULT_HEADERS_MS = 3000;
export const headersMsOf = (dep: string): number =>
  POLICIES[dep as Dep]?.timeouts?.headersMs ?? DEFAULT_HEADERS_MS;

// ── What a run records ────────────────────────────────────────────────────────────────────────────────

/** One request as the fake server (or, offline, the device) saw it. Times in ms since the scenario began. */
export interface ServerRequest {
  readonly id: number;
  readonly at: number;
  readonly dependency: string;
  readonly method: string;
  readonly url: string;
  readonly idempotencyKey: string | undefined;
  readonly writeTag: string | undefined;
  /** False when the device was offline: the request never left it. */
  readonly reached: boolean;
  status?: number;
  /** The `Retry-After` it was answered with, in seconds. */
  retryAfterS?: number;
  /** When it ended: error answered, body complete, aborted, stalled body given up on, or refused offline. */
  endedAt?: number;
  outcome: 'pending' | 'ok' | 'error' | 'stalled' | 'aborted' | 'offline';
}

/** A write the app made (a step `{ write }`). */
export interface AppWrite {
  readonly tag: string;
  readonly at: number;
  readonly dependency: string;
  outcome: 'pending' | 'sent' | 'queued' | 'failed';
  /** The idempotency key, when known to the app (queued writes). */
  key?: string;
  error?: unknown;
}

/** A write that took effect on the server (counted per request, so a duplicate shows). */
export interface Effect {
  readonly at: number;
  readonly dependency: string;
  readonly key: string | undefined;
  readonly tag: string | undefined;
}

/** A successful read body that arrived complete: the true age of the data it carried starts here. */
export interface CompletedBody {
  readonly at: number;
  readonly dependency: string;
}

export interface Announcement {
  /** ms since the scenario began (virtual). */
  readonly at: number;
  readonly region: 'polite' | 'assertive';
  readonly text: string;
}

export interface ShownAge {
  /** The dependencies the age is about: a notice's own; for the banner's, those degraded or shown stale. */
  readonly dependencies: readonly string[];
  readonly where: 'banner' | 'notice';
  readonly text: string;
}

export interface Frame {
  /** Seconds since the scenario began. */
  readonly t: number;
  /** Visible text of `.brownout-banner`, or ''. */
  readonly banner: string;
  /** Visible text of freshness notices, Degradable placeholders, the queued-writes indicator, problem notices. */
  readonly notices: readonly string[];
  /**
   * The notices that say something is degraded, told apart by what they are rather than by their words: a
   * stale or expired value, a placeholder, writes waiting to be sent, a problem that is an outage.
   */
  readonly degradedNotices: readonly string[];
  /** Writes in the outbox waiting or being sent (the store's outbox summary). */
  readonly pendingWrites: number;
  /** What the kit's live regions hold now. */
  readonly live: { readonly polite: string; readonly assertive: string };
  readonly levels: Readonly<Record<string, DegradationLevel>>;
  readonly appLevel: DegradationLevel;
  /** Per dependency, the store's `retryAt` in ms since the scenario began, while it waits. */
  readonly retryAt: Readonly<Record<string, number>>;
  /** Requests made so far. */
  readonly requests: number;
  /** The value each read shows ('' when none). */
  readonly values: Readonly<Record<string, string>>;
  readonly ages: readonly ShownAge[];
  readonly online: boolean;
  readonly visible: boolean;
  /** What TanStack's managers believe (they listen to the same DOM events as in a browser). */
  readonly tanstack: { readonly focused: boolean; readonly online: boolean };
}

export interface Period {
  readonly from: number;
  /** ms; the end of the run when it never ended. */
  to: number;
}

export interface Reload {
  readonly at: number;
  /** Whether `beforeunload` was cancelled (the browser would ask the user before leaving). */
  readonly unloadPrevented: boolean;
  /** Writes the app made that had not taken effect when the page went away. */
  readonly pendingWrites: readonly string[];
}

export interface Run {
  readonly scenario: Scenario;
  readonly frames: readonly Frame[];
  /** Every change of a live region's text, with its (virtual) time. */
  readonly transcript: readonly Announcement[];
  readonly requests: readonly ServerRequest[];
  readonly writes: readonly AppWrite[];
  readonly effects: readonly Effect[];
  readonly bodies: readonly CompletedBody[];
  readonly offline: readonly Period[];
  readonly hidden: readonly Period[];
  readonly reloads: readonly Reload[];
  /** Dependencies in the client. */
  readonly dependencies: readonly Dep[];
  readonly labels: Readonly<Record<string, string>>;
  /** The compact table of the run (t, levels, requests that second, banner, live, notices). */
  table(): string;
}

// ── The fake server ───────────────────────────────────────────────────────────────────────────────────

interface Decision {
  readonly delayMs: number;
  readonly answer: 'ok' | 'stall' | number;
  readonly retryAfterS?: number;
}

const encoder = new TextEncoder();

const problem = (status: number, title: string, retryAfterS?: number): Response =>
  new Response(JSON.stringify({ type: 'about:blank', title, status }), {
    status,
    headers: {
      'content-type': 'application/problem+json',
      ...(retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) }),
    },
  });

const TITLES: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

function createServer(clock: VirtualClock, since: () => number, latencyMs: number) {
  const requests: ServerRequest[] = [];
  const effects: Effect[] = [];
  const bodies: CompletedBody[] = [];
  const conditions = new Map<string, Condition>();
  const stallsLeft = new Map<string, number>();
  const flaky = new Map<string, Random>();
  // What an in-flight request does when the device drops off the network.
  const inFlight = new Set<(error: Error) => void>();
  let online = true;
  let served = 0;

  const end = (req: ServerRequest, outcome: ServerRequest['outcome']): void => {
    if (req.endedAt !== undefined) return;
    req.endedAt = since();
    req.outcome = outcome;
  };

  const decide = (dep: string): Decision => {
    const c = conditions.get(dep) ?? 'healthy';
    if (c === 'healthy') return { delayMs: latencyMs, answer: 'ok' };
    if (c === 'down') return { delayMs: latencyMs, answer: 503 };
    if (c === 'unauthorized') return { delayMs: latencyMs, answer: 401 };
    if (c === 'slow') return { delayMs: 3 * headersMsOf(dep), answer: 'ok' };
    if (c === 'stalled') return { delayMs: latencyMs, answer: 'stall' };
    if ('slow' in c) return { delayMs: c.slow, answer: 'ok' };
    if ('stalled' in c) {
      const left = stallsLeft.get(dep) ?? 0;
      if (left <= 1) conditions.set(dep, 'healthy');
      stallsLeft.set(dep, left - 1);
      return left > 0 ? { delayMs: latencyMs, answer: 'stall' } : { delayMs: latencyMs, answer: 'ok' };
    }
    if ('rateLimited' in c) return { delayMs: latencyMs, answer: 429, retryAfterS: c.rateLimited };
    const draw = flaky.get(dep)?.() ?? 0;
    return { delayMs: latencyMs, answer: draw < c.flaky.failureRate ? 503 : 'ok' };
  };

  const respond = (req: ServerRequest, decision: Decision, signal: AbortSignal | undefined): Response => {
    const { answer } = decision;
    if (typeof answer === 'number') {
      req.status = answer;
      if (decision.retryAfterS !== undefined) req.retryAfterS = decision.retryAfterS;
      end(req, 'error');
      return problem(answer, TITLES[answer] ?? 'Error', decision.retryAfterS);
    }
    req.status = 200;
    if (req.method !== 'GET') {
      // A write: the server does it (an idempotent server would dedupe by key; counting shows a duplicate).
      effects.push({ at: since(), dependency: req.dependency, key: req.idempotencyKey, tag: req.writeTag });
      end(req, 'ok');
      return Response.json({ ok: true, key: req.idempotencyKey }, { status: 201 });
    }
    const n = ++served;
    const json = JSON.stringify({ dependency: req.dependency, value: `${req.dependency} #${n}` });
    let sent = false;
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    const given = answer === 'stall' ? 'stalled' : 'aborted';
    const done = (outcome: ServerRequest['outcome']): void => {
      inFlight.delete(fail);
      signal?.removeEventListener('abort', onAbort);
      end(req, outcome);
    };
    const fail = (error: unknown): void => {
      done(given);
      controller?.error(error);
    };
    // Like real fetch: an abort or a lost connection after the headers errors the body.
    const onAbort = (): void => fail(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    inFlight.add(fail);
    const body = new ReadableStream<Uint8Array>(
      {
        start(c) {
          controller = c;
        },
        pull(c) {
          if (answer === 'stall') {
            if (sent) return new Promise<void>(() => {});
            sent = true;
            c.enqueue(encoder.encode(json.slice(0, 20)));
            return;
          }
          c.enqueue(encoder.encode(json));
          c.close();
          done('ok');
          bodies.push({ at: since(), dependency: req.dependency });
        },
        cancel: () => done(given),
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  };

  const fetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init.headers);
    const req: ServerRequest = {
      id: requests.length + 1,
      at: since(),
      dependency: /^\/api\/([^/]+)/.exec(url.pathname)?.[1] ?? '?',
      method: (init.method ?? 'GET').toUpperCase(),
      url: url.pathname,
      idempotencyKey: headers.get('idempotency-key') ?? undefined,
      writeTag: headers.get(WRITE_TAG) ?? undefined,
      reached: online,
      outcome: 'pending',
    };
    requests.push(req);
    const signal = init.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) {
        end(req, 'aborted');
        return reject(signal.reason);
      }
      if (!online) {
        end(req, 'offline');
        return reject(new TypeError('Failed to fetch'));
      }
      const decision = decide(req.dependency);
      const settle = (): void => {
        clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        inFlight.delete(drop);
      };
      const onAbort = (): void => {
        settle();
        end(req, 'aborted');
        reject(signal?.reason);
      };
      const drop = (error: Error): void => {
        settle();
        end(req, 'offline');
        reject(error);
      };
      const timer = clock.setTimeout(() => {
        settle();
        resolve(respond(req, decision, signal));
      }, decision.delayMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      inFlight.add(drop);
    });
  };

  return {
    fetch: fetch as typeof globalThis.fetch,
    requests,
    effects,
    bodies,
    set(dep: string, condition: Condition): void {
      conditions.set(dep, condition);
      if (typeof condition === 'object' && 'stalled' in condition) stallsLeft.set(dep, condition.stalled);
      if (typeof condition === 'object' && 'flaky' in condition) {
        flaky.set(dep, createSeededRandom(condition.flaky.seed));
      }
    },
    setOnline(value: boolean): void {
      online = value;
      if (value) return;
      for (const drop of [...inFlight]) drop(new TypeError('Failed to fetch'));
    },
  };
}

// ── The browser around the app: clock-driven TanStack, Date.now, connectivity and visibility ─────────

// One provider for the whole file, pointed at the running scenario's clock: TanStack warns when its provider
// is switched after use, and pointing this one back at the platform's timers is the restore.
let activeClock: VirtualClock | undefined;
let nextIntervalId = 1;
const intervals = new Map<number, unknown>();
const clockTimers: TimeoutProvider = {
  setTimeout: (callback, delay) =>
    (activeClock
      ? activeClock.setTimeout(callback, delay)
      : globalThis.setTimeout(callback, delay)) as number,
  clearTimeout: (id) => {
    if (activeClock) activeClock.clearTimeout(id);
    else globalThis.clearTimeout(id as Parameters<typeof clearTimeout>[0]);
  },
  setInterval: (callback, delay) => {
    if (!activeClock) return globalThis.setInterval(callback, delay) as unknown as number;
    const clock = activeClock;
    const id = nextIntervalId++;
    const arm = (): void => {
      intervals.set(
        id,
        clock.setTimeout(() => {
          arm();
          callback();
        }, delay),
      );
    };
    arm();
    return id;
  },
  clearInterval: (id) => {
    const handle = typeof id === 'number' ? intervals.get(id) : undefined;
    if (handle === undefined) return globalThis.clearInterval(id as Parameters<typeof clearInterval>[0]);
    activeClock?.clearTimeout(handle);
    intervals.delete(id as number);
  },
};

function installBrowser(clock: VirtualClock) {
  activeClock = clock;
  timeoutManager.setTimeoutProvider(clockTimers);
  notifyManager.setScheduler((callback) => queueMicrotask(callback));
  // TanStack's dataUpdatedAt and staleness read Date.now: in a browser it agrees with the client's clock.
  const dateNow = vi.spyOn(Date, 'now').mockImplementation(() => clock.now());
  let online = true;
  let visible = true;
  Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => online });
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => (visible ? 'visible' : 'hidden'),
  });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => !visible });
  return {
    get online() {
      return online;
    },
    get visible() {
      return visible;
    },
    setOnline(value: boolean): void {
      online = value;
      window.dispatchEvent(new Event(value ? 'online' : 'offline'));
    },
    setVisible(value: boolean): void {
      visible = value;
      // It bubbles to window, where TanStack's focusManager listens, as in a browser.
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    },
    restore(): void {
      delete (window.navigator as { onLine?: boolean }).onLine;
      delete (document as { visibilityState?: string }).visibilityState;
      delete (document as { hidden?: boolean }).hidden;
      onlineManager.setOnline(true);
      focusManager.setFocused(undefined);
      dateNow.mockRestore();
      notifyManager.setScheduler(defaultScheduler);
      intervals.clear();
      activeClock = undefined;
    },
  };
}

// ── The app under test ────────────────────────────────────────────────────────────────────────────────

interface ReadValue {
  readonly dependency: string;
  readonly value: string;
}

/** The last write that failed, as a toast would show it until a later write goes through. */
function createWriteProblem() {
  let current: unknown = null;
  const listeners = new Set<() => void>();
  return {
    set(error: unknown): void {
      current = error;
      for (const l of listeners) l();
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: (): unknown => current,
  };
}
type WriteProblem = ReturnType<typeof createWriteProblem>;

function Reader({ dependency, client }: { dependency: Dep; client: Brownout<Dep> }): ReactNode {
  const query = useQuery<ReadValue, DefaultError>({
    queryKey: [dependency],
    queryFn: queryFnOf(client, dependency),
  });
  return (
    <section data-reader={dependency}>
      <StaleDataNotice dependency={dependency} freshnessKey={hashKey([dependency])} />
      {query.data ? (
        <p data-value={dependency}>{query.data.value}</p>
      ) : query.error ? (
        <ProblemNotice error={query.error} label={LABELS[dependency]} />
      ) : (
        <p>Loading…</p>
      )}
    </section>
  );
}

// One queryFn per client and dependency: a new function each render would be a new query function.
const queryFns = new WeakMap<object, Map<string, ReturnType<typeof createQueryFn<ReadValue>>>>();
function queryFnOf(client: Brownout<Dep>, dependency: Dep) {
  const fns = queryFns.get(client) ?? new Map();
  queryFns.set(client, fns);
  const fn = fns.get(dependency) ?? createQueryFn<ReadValue>(client, dependency, `/api/${dependency}/x`);
  fns.set(dependency, fn);
  return fn;
}

function WriteProblemNotice({ problem }: { problem: WriteProblem }): ReactNode {
  const error = useSyncExternalStore(problem.subscribe, problem.get);
  return error ? <ProblemNotice error={error} label={LABELS.orders} /> : null;
}

function App(props: {
  client: Brownout<Dep>;
  queryClient: QueryClient;
  reads: readonly Dep[];
  problem: WriteProblem;
}): ReactNode {
  const { client, queryClient, reads, problem } = props;
  return (
    <BrownoutProvider client={client}>
      <BrownoutUIProvider labels={LABELS}>
        <QueryClientProvider client={queryClient}>
          <DegradationBanner onRetry={() => void queryClient.refetchQueries({ type: 'active' })} />
          <main>
            {reads.map((dep) =>
              OPTIONAL.has(dep) ? (
                <Degradable
                  key={dep}
                  dependency={dep}
                  placeholder={<p data-placeholder={dep}>{LABELS[dep]} are unavailable right now.</p>}
                >
                  <Reader dependency={dep} client={client} />
                </Degradable>
              ) : (
                <Reader key={dep} dependency={dep} client={client} />
              ),
            )}
          </main>
          <QueuedWritesIndicator />
          <WriteProblemNotice problem={problem} />
        </QueryClientProvider>
      </BrownoutUIProvider>
    </BrownoutProvider>
  );
}

// ── Reading the screen ────────────────────────────────────────────────────────────────────────────────

const BLOCKS = new Set(['P', 'DIV', 'SECTION', 'LI', 'UL', 'SUMMARY', 'DETAILS', 'BUTTON', 'MAIN']);

/** The text a sighted user sees in `node`: no aria-hidden icons, no visually hidden text, no closed details. */
export function visibleText(node: Node | null | undefined): string {
  if (!node) return '';
  const parts: string[] = [];
  const walk = (n: Node): void => {
    if (n.nodeType === Node.TEXT_NODE) {
      parts.push(n.textContent ?? '');
      return;
    }
    if (!(n instanceof Element)) return;
    if (
      n.getAttribute('aria-hidden') === 'true' ||
      n.hasAttribute('hidden') ||
      n.classList.contains('brownout-visually-hidden')
    )
      return;
    const block = BLOCKS.has(n.tagName);
    if (block) parts.push(' ');
    if (n.tagName === 'DETAILS' && !(n as HTMLDetailsElement).open) {
      const summary = n.querySelector(':scope > summary');
      if (summary) walk(summary);
    } else {
      for (const child of n.childNodes) walk(child);
    }
    if (block) parts.push(' ');
  };
  walk(node);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

const NOTICES = '[data-freshness], [data-placeholder], .brownout-queue, .brownout-problem';
const OUTAGE_KINDS = new Set(['timeout', 'network', 'breaker-open', 'budget-exhausted', 'queue-full']);

const isDegradedNotice = (el: Element): boolean => {
  const freshness = el.getAttribute('data-freshness');
  if (freshness !== null) return freshness !== 'fresh';
  if (el.hasAttribute('data-placeholder')) return true;
  if (el.classList.contains('brownout-queue')) return Number(el.getAttribute('data-pending') ?? 0) > 0;
  const kind = el.getAttribute('data-kind') ?? '';
  const status = Number(el.getAttribute('data-status') ?? 0);
  return OUTAGE_KINDS.has(kind) || status >= 500 || status === 429;
};

function readLive(): { polite: string; assertive: string } {
  const region = document.querySelector('[data-brownout-announcer]');
  return {
    polite: region?.querySelector('[role="status"]')?.textContent?.trim() ?? '',
    assertive: region?.querySelector('[role="alert"]')?.textContent?.trim() ?? '',
  };
}

// ── The runner ────────────────────────────────────────────────────────────────────────────────────────

const START = Date.UTC(2026, 2, 2, 9, 0, 0);
const SECOND = 1000;

interface Page {
  readonly client: Brownout<Dep>;
  readonly queryClient: QueryClient;
  readonly unbind: () => void;
  readonly view: RenderResult;
}

/** Persistent storage as IndexedDB would be: it outlives the page (the preview's trick, without a database). */
function persistentOutbox(): OutboxStorage {
  const memory = createMemoryOutboxStorage();
  return { persistence: 'indexeddb', all: memory.all, put: memory.put, remove: memory.remove };
}

/** Plays `scenario` second by second and returns everything it recorded. */
export async function play(scenario: Scenario): Promise<Run> {
  const app = scenario.app ?? {};
  const reads = app.reads ?? ['pricing', 'reviews'];
  const dependencies = [...new Set([...reads, ...(app.writes ?? ['orders'])])];
  const seed = app.seed ?? 1;
  const refetchInterval = app.refetchIntervalMs ?? 10_000;
  const clock = createVirtualClock(START);
  const since = (): number => clock.now() - START;
  const browser = installBrowser(clock);
  const server = createServer(clock, since, app.latencyMs ?? 50);
  const problem = createWriteProblem();
  const frames: Frame[] = [];
  const transcript: Announcement[] = [];
  const writes: AppWrite[] = [];
  const offline: Period[] = [];
  const hidden: Period[] = [];
  const reloads: Reload[] = [];

  // "IndexedDB": the outbox and the read cache outlive a reload, unless the scenario is memory-only.
  let outboxStorage: OutboxStorage = scenario.memoryOnly ? createMemoryOutboxStorage() : persistentOutbox();
  let cache = createMemoryCache();
  let loads = 0;

  const load = (): Page => {
    loads++;
    const client = createClient<Dep>({
      clock,
      random: createSeededRandom(seed * 1000 + loads),
      shareHealth: false,
      allowedOrigins: [ORIGIN],
      fetch: server.fetch,
      cache,
      outbox: { storage: outboxStorage },
      dependencies: Object.fromEntries(dependencies.map((d) => [d, POLICIES[d]])) as Record<
        Dep,
        DependencyOptions
      >,
    });
    const queryClient = new QueryClient({
      defaultOptions: { queries: { staleTime: 5000, gcTime: Number.POSITIVE_INFINITY, refetchInterval } },
    });
    const unbind = bindQueryClient(queryClient, client, {
      random: createSeededRandom(seed * 1000 + 500 + loads),
    });
    const view = render(<App client={client} queryClient={queryClient} reads={reads} problem={problem} />);
    return { client, queryClient, unbind, view };
  };
  const unload = (page: Page): void => {
    page.view.unmount();
    page.unbind();
    page.client.dispose();
    page.queryClient.clear();
  };

  // The transcript: each change of a region's text, at the virtual time React wrote it.
  let heard = { polite: '', assertive: '' };
  const listen = (): void => {
    const now = readLive();
    for (const region of ['polite', 'assertive'] as const) {
      if (now[region] !== heard[region]) transcript.push({ at: since(), region, text: now[region] });
    }
    heard = now;
  };
  const observer = new MutationObserver(listen);
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });

  const write = (dependency: Dep, body: unknown, page: Page): void => {
    const record: AppWrite = { tag: `w${writes.length + 1}`, at: since(), dependency, outcome: 'pending' };
    writes.push(record);
    page.client
      .fetch(dependency, `/api/${dependency}/x`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WRITE_TAG]: record.tag },
        body: JSON.stringify(body),
      })
      .then(async (response) => {
        const queued = getQueuedWrite(response);
        record.outcome = queued ? 'queued' : 'sent';
        if (queued) record.key = queued.entry.idempotencyKey;
        if (!queued) problem.set(null);
        await response.text();
      })
      .catch((error: unknown) => {
        record.outcome = 'failed';
        record.error = error;
        problem.set(error);
      });
  };

  let page: Page | undefined;
  const apply = (step: Step): void => {
    const { condition } = step;
    if (step.dependency === undefined) {
      const c = step.condition;
      if (c === 'offline' || c === 'online') {
        if ((c === 'online') === browser.online) return;
        if (c === 'offline') offline.push({ from: since(), to: Number.POSITIVE_INFINITY });
        else offline.at(-1)!.to = since();
        server.setOnline(c === 'online');
        browser.setOnline(c === 'online');
      } else if (c === 'sign-in') {
        void page!.client.outbox?.resume();
      } else if (c === 'hidden' || c === 'visible') {
        if ((c === 'visible') === browser.visible) return;
        if (c === 'hidden') hidden.push({ from: since(), to: Number.POSITIVE_INFINITY });
        else hidden.at(-1)!.to = since();
        browser.setVisible(c === 'visible');
      } else {
        // jsdom cannot construct a BeforeUnloadEvent: a cancelable Event with its string returnValue.
        const event = new Event('beforeunload', { cancelable: true });
        let returnValue: unknown = '';
        Object.defineProperty(event, 'returnValue', {
          get: () => returnValue,
          set: (value: unknown) => {
            returnValue = value;
          },
        });
        window.dispatchEvent(event);
        const effected = new Set(server.effects.map((e) => e.tag));
        reloads.push({
          at: since(),
          // A handler asks the user to stay by cancelling the event or by setting a returnValue.
          unloadPrevented: event.defaultPrevented || (typeof returnValue === 'string' && returnValue !== ''),
          pendingWrites: writes
            .filter((w) => w.outcome !== 'failed' && !effected.has(w.tag))
            .map((w) => w.tag),
        });
        if (page) unload(page);
        problem.set(null);
        if (scenario.memoryOnly) {
          outboxStorage = createMemoryOutboxStorage();
          cache = createMemoryCache();
        }
        page = load();
      }
      return;
    }
    if (typeof condition === 'object' && 'write' in condition) write(step.dependency, condition.write, page!);
    else server.set(step.dependency, condition as Condition);
  };

  const snapshot = (): Frame => {
    listen();
    const root = page!.view.container;
    const state = page!.client.store.getState();
    const levels: Record<string, DegradationLevel> = {};
    const retryAt: Record<string, number> = {};
    for (const d of dependencies) {
      const dep = state.dependencies[d];
      levels[d] = dep?.level ?? 'normal';
      if (dep?.retryAt !== undefined) retryAt[d] = dep.retryAt - START;
    }
    // The banner's ages are about what is degraded or shown from the cache (any of them, loosely).
    const stale = [...root.querySelectorAll('[data-freshness="stale"], [data-freshness="expired"]')].map(
      (n) => n.getAttribute('data-dependency') ?? '',
    );
    const about = [...new Set([...dependencies.filter((d) => levels[d] !== 'normal'), ...stale])];
    const bannerEl = root.querySelector('.brownout-banner');
    const ages: ShownAge[] = [];
    for (const time of root.querySelectorAll('time.brownout-time')) {
      const notice = time.closest('[data-freshness]');
      if (notice) {
        ages.push({
          dependencies: [notice.getAttribute('data-dependency') ?? ''],
          where: 'notice',
          text: time.textContent ?? '',
        });
      } else if (bannerEl?.contains(time)) {
        ages.push({
          dependencies: about.length ? about : reads,
          where: 'banner',
          text: time.textContent ?? '',
        });
      }
    }
    const values: Record<string, string> = {};
    for (const d of reads) values[d] = root.querySelector(`[data-value="${d}"]`)?.textContent ?? '';
    return {
      t: Math.round(since() / SECOND),
      banner: visibleText(bannerEl),
      notices: [...root.querySelectorAll(NOTICES)].map(visibleText).filter(Boolean),
      degradedNotices: [...root.querySelectorAll(NOTICES)]
        .filter(isDegradedNotice)
        .map(visibleText)
        .filter(Boolean),
      pendingWrites: Object.values(state.outbox.dependencies).reduce((n, o) => n + o.queued + o.sending, 0),
      live: readLive(),
      levels,
      appLevel: state.level,
      retryAt,
      requests: server.requests.length,
      values,
      ages,
      online: browser.online,
      visible: browser.visible,
      tanstack: { focused: focusManager.isFocused(), online: onlineManager.isOnline() },
    };
  };

  const stepsAt = (t: number): Step[] => scenario.steps.filter((s) => s.at === t);
  try {
    // Second 0: the world as the scenario starts it, then the page loads, then what the app does at once.
    const isWrite = (s: Step): boolean => typeof s.condition === 'object' && 'write' in s.condition;
    await act(async () => {
      for (const step of stepsAt(0).filter((s) => s.condition !== 'reload' && !isWrite(s))) apply(step);
      page = load();
      for (const step of stepsAt(0).filter(isWrite)) apply(step);
      await clock.flush();
    });
    frames.push(snapshot());
    for (let t = 1; t <= scenario.seconds; t++) {
      await act(() => clock.advanceAsync(SECOND));
      const due = stepsAt(t);
      if (due.length > 0) {
        await act(async () => {
          for (const step of due) apply(step);
          await clock.flush();
        });
      }
      frames.push(snapshot());
    }
  } finally {
    await act(async () => {
      if (page) unload(page);
      await clock.flush();
    });
    observer.disconnect();
    browser.restore();
  }
  const end = since();
  for (const p of [...offline, ...hidden]) if (p.to === Number.POSITIVE_INFINITY) p.to = end;
  const run: Run = {
    scenario,
    frames,
    transcript,
    requests: server.requests,
    writes,
    effects: server.effects,
    bodies: server.bodies,
    offline,
    hidden,
    reloads,
    dependencies,
    labels: LABELS,
    table: () => formatTable(run),
  };
  return run;
}

// ── The printable table ───────────────────────────────────────────────────────────────────────────────

const clip = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);

const SHORT: Readonly<Record<DegradationLevel, string>> = {
  normal: '·',
  partial: 'partial',
  minimal: 'minimal',
  cached: 'cached',
  maintenance: 'maint',
};

/**
 * One row per second where something changed (digits aside, so ticking ages do not count) or requests were
 * made, and every 10th: t, app level, each dependency's level, requests in that second, banner, live, notices.
 */
export function formatTable(run: Run): string {
  const deps = run.dependencies;
  const head = [
    '   t',
    clip('app', 7),
    ...deps.map((d) => clip(d.slice(0, 7), 7)),
    'req',
    clip('banner', 60),
    clip('live (polite | assertive)', 40),
    'notices',
  ].join(' ');
  const rows = [head];
  let previous = '';
  let requests = 0;
  for (const f of run.frames) {
    const made = f.requests - requests;
    requests = f.requests;
    const live = [f.live.polite, f.live.assertive].filter(Boolean).join(' | ');
    const flags = `${f.online ? '' : '[offline] '}${f.visible ? '' : '[hidden] '}`;
    const state = [clip(SHORT[f.appLevel], 7), ...deps.map((d) => clip(SHORT[f.levels[d] ?? 'normal'], 7))];
    const text = [clip(flags + f.banner, 60), clip(live, 40), f.notices.join(' / ')];
    const shape = [...state, ...text].join(' ').replace(/\d+/g, '#');
    if (shape !== previous || made > 0 || f.t % 10 === 0) {
      rows.push([String(f.t).padStart(4), ...state, String(made).padStart(3), ...text].join(' ').trimEnd());
    }
    previous = shape;
  }
  return rows.join('\n');
}
