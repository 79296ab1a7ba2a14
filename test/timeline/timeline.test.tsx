// Scenarios played on the timeline harness against the real client, store, query adapter and UI kit. Each
// states what the product should do second by second; a failure prints the violations and the run's table.
import { QueryClient as CoreQueryClient, focusManager, onlineManager } from '@tanstack/query-core';
import { QueryClient } from '@tanstack/react-query';
import { afterAll, describe, expect, test } from 'vitest';
import { type Dep, type Frame, play, type Run, type Scenario, type Step } from './harness.js';
import {
  affected,
  ageIsTheBodys,
  ageShownWhileCached,
  announcementsAtMost,
  atMostOneAnnouncementPer,
  check,
  eachOutageTold,
  type Invariant,
  memoryOnlyWarned,
  noAnnouncementCutOff,
  noDegradedTextAfterRecovery,
  noFlicker,
  noRequestsWhile,
  noRequestsWhileOffline,
  noResendAfterPermanentFailureBut,
  noWorkingAgainBeforeFailureWithin,
  recoveryAnnounced,
  recoveryHeldBeforeTold,
  recoveryOf,
  report,
  respectsRetryAfter,
  slowIsTold,
  toldAfterStatus,
  trueCountdown,
  unloadGuarded,
  valueShown,
  whileOfflineNoTextBlamesAService,
  writesExactlyOnce,
} from './invariants.js';

const down = (at: number, ...deps: Dep[]): Step[] =>
  deps.map((dependency) => ({ at, dependency, condition: 'down' }));
const healthy = (at: number, ...deps: Dep[]): Step[] =>
  deps.map((dependency) => ({ at, dependency, condition: 'healthy' }));
const order = (at: number, sku: string): Step => ({
  at,
  dependency: 'orders',
  condition: { write: { sku, qty: 1 } },
});

/** What every outage of a shown dependency must get right, whatever it is. */
const honest = (recoveredAt: number, label: string): Invariant[] => [
  eachOutageTold(),
  trueCountdown,
  atMostOneAnnouncementPer(5),
  noWorkingAgainBeforeFailureWithin(10),
  recoveryHeldBeforeTold(5),
  noDegradedTextAfterRecovery(recoveredAt),
  recoveryAnnounced(recoveredAt, label),
  noFlicker(2),
  noAnnouncementCutOff(2),
];

interface Case {
  readonly scenario: Scenario;
  readonly invariants: readonly Invariant[];
}

// The registry: one test each, in this order.
const cases: readonly Case[] = [
  {
    scenario: {
      name: 'pricing down 30 s, then back',
      seconds: 60,
      steps: [...down(5, 'pricing'), ...healthy(35, 'pricing')],
    },
    invariants: [
      ...honest(35, 'Prices'),
      ageIsTheBodys,
      valueShown('pricing', 1),
      ageShownWhileCached('pricing'),
    ],
  },
  {
    scenario: {
      name: 'reviews down 30 s, then back',
      seconds: 60,
      steps: [...down(5, 'reviews'), ...healthy(35, 'reviews')],
    },
    invariants: [...honest(35, 'Reviews'), valueShown('pricing', 1)],
  },
  {
    scenario: {
      name: 'orders down 30 s with a write, then back',
      seconds: 60,
      app: { reads: ['pricing'], writes: ['orders'] },
      steps: [...down(5, 'orders'), order(8, 'mug'), ...healthy(35, 'orders')],
    },
    invariants: [...honest(35, 'Orders'), writesExactlyOnce],
  },
  {
    scenario: {
      name: 'auth down 30 s, then back',
      seconds: 75,
      app: { reads: ['auth', 'pricing'], writes: [] },
      steps: [...down(5, 'auth'), ...healthy(35, 'auth')],
    },
    invariants: honest(35, 'Account'),
  },
  {
    scenario: {
      name: 'pricing 429 with Retry-After 20 s, then healthy',
      seconds: 60,
      app: { reads: ['pricing'] },
      steps: [{ at: 5, dependency: 'pricing', condition: { rateLimited: 20 } }, ...healthy(25, 'pricing')],
    },
    invariants: [...honest(25, 'Prices'), respectsRetryAfter, ageIsTheBodys, valueShown('pricing', 1)],
  },
  {
    scenario: {
      name: 'offline 30 s with a queued write, then online',
      seconds: 70,
      app: { reads: ['pricing'], writes: ['orders'] },
      steps: [{ at: 10, condition: 'offline' }, order(15, 'mug'), { at: 40, condition: 'online' }],
    },
    invariants: [
      whileOfflineNoTextBlamesAService,
      noRequestsWhileOffline,
      writesExactlyOnce,
      noDegradedTextAfterRecovery(40),
      atMostOneAnnouncementPer(5),
      noAnnouncementCutOff(2),
      valueShown('pricing', 1),
    ],
  },
  {
    scenario: {
      name: 'hidden tab for 60 s during a pricing outage, then visible',
      seconds: 100,
      steps: [
        ...down(5, 'pricing'),
        { at: 15, condition: 'hidden' },
        ...healthy(50, 'pricing'),
        { at: 75, condition: 'visible' },
      ],
    },
    invariants: [
      noRequestsWhile('hidden'),
      eachOutageTold(),
      trueCountdown,
      ageIsTheBodys,
      noDegradedTextAfterRecovery(75),
      atMostOneAnnouncementPer(5),
    ],
  },
  {
    scenario: {
      name: 'pricing flaky (seed 42, 50 %) for 60 s, polled every 2 s',
      seconds: 90,
      // Polled often enough that retries alone cannot hide a 50 % failure rate.
      app: { reads: ['pricing'], refetchIntervalMs: 2000 },
      steps: [
        { at: 5, dependency: 'pricing', condition: { flaky: { seed: 42, failureRate: 0.5 } } },
        ...healthy(65, 'pricing'),
      ],
    },
    invariants: [
      atMostOneAnnouncementPer(5),
      // A flapping part cannot be foretold: its recovery is said only after it held, and rarely.
      recoveryHeldBeforeTold(5),
      announcementsAtMost(4),
      noFlicker(2),
      noAnnouncementCutOff(2),
      eachOutageTold(),
      trueCountdown,
      ageIsTheBodys,
      noDegradedTextAfterRecovery(65),
      valueShown('pricing', 1),
    ],
  },
  {
    scenario: {
      name: 'pricing slow (1.5 s, then 3 × headersMs), then healthy',
      seconds: 65,
      app: { reads: ['pricing'] },
      steps: [
        { at: 5, dependency: 'pricing', condition: { slow: 1500 } },
        { at: 20, dependency: 'pricing', condition: 'slow' },
        ...healthy(40, 'pricing'),
      ],
    },
    invariants: [
      slowIsTold(1),
      noFlicker(2),
      eachOutageTold(),
      trueCountdown,
      ageIsTheBodys,
      noDegradedTextAfterRecovery(40),
      valueShown('pricing', 1),
    ],
  },
  {
    scenario: {
      name: 'pricing bodies stall after their headers ×6, then healthy',
      seconds: 130,
      app: { reads: ['pricing'] },
      steps: [{ at: 5, dependency: 'pricing', condition: { stalled: 6 } }],
    },
    invariants: [
      ageIsTheBodys,
      slowIsTold(1),
      noFlicker(2),
      eachOutageTold(),
      trueCountdown,
      noDegradedTextAfterRecovery(5),
      valueShown('pricing', 1),
    ],
  },
  {
    scenario: {
      name: 'pricing, orders (with a write), reviews and recommendations down at once, then healthy',
      seconds: 80,
      app: { reads: ['pricing', 'reviews', 'recommendations'], writes: ['orders'] },
      steps: [
        ...down(5, 'pricing', 'orders', 'reviews', 'recommendations'),
        order(7, 'mug'),
        ...healthy(40, 'pricing', 'orders', 'reviews', 'recommendations'),
      ],
    },
    invariants: [
      eachOutageTold(),
      atMostOneAnnouncementPer(5),
      noAnnouncementCutOff(2),
      trueCountdown,
      writesExactlyOnce,
      noDegradedTextAfterRecovery(40),
      recoveryAnnounced(40, 'Prices'),
      recoveryAnnounced(40, 'Orders'),
    ],
  },
  {
    scenario: {
      name: 'reload during a pricing outage: the cached prices still show, with their age',
      seconds: 70,
      app: { reads: ['pricing'] },
      steps: [...down(5, 'pricing'), { at: 25, condition: 'reload' }, ...healthy(45, 'pricing')],
    },
    invariants: [
      valueShown('pricing', 1),
      ageShownWhileCached('pricing'),
      ageIsTheBodys,
      eachOutageTold(),
      noDegradedTextAfterRecovery(45),
    ],
  },
  {
    scenario: {
      name: 'memory-only outbox with a queued write, and a reload',
      seconds: 50,
      memoryOnly: true,
      app: { reads: ['pricing'], writes: ['orders'] },
      steps: [
        ...down(5, 'orders'),
        order(8, 'mug'),
        { at: 20, condition: 'reload' },
        ...healthy(30, 'orders'),
      ],
    },
    invariants: [memoryOnlyWarned(), unloadGuarded, eachOutageTold(), trueCountdown],
  },
  {
    scenario: {
      name: 'writes failing with 401: a queued one replayed into it waits for sign-in, a new one queues behind it',
      seconds: 60,
      app: { reads: ['pricing'], writes: ['orders'] },
      steps: [
        ...down(3, 'orders'),
        order(5, 'mug'),
        { at: 20, dependency: 'orders', condition: 'unauthorized' },
        order(30, 'plate'),
        { at: 40, dependency: 'orders', condition: 'healthy' },
        { at: 41, condition: 'sign-in' },
      ],
    },
    invariants: [
      toldAfterStatus(401, /sign in|log in/i),
      noResendAfterPermanentFailureBut(41),
      writesExactlyOnce,
      noDegradedTextAfterRecovery(42, 2),
      eachOutageTold(),
      trueCountdown,
    ],
  },
];

/** One row per scenario for `TIMELINE_SUMMARY=1`: how long the screen took to follow, and what was said. */
const summary: string[] = [];
afterAll(() => {
  if (process.env.TIMELINE_SUMMARY && summary.length) {
    console.log(
      [
        '| scenario | first good answer → screen clear | announcements | false statements |',
        '|---|---:|---:|---:|',
        ...summary,
      ].join('\n'),
    );
  }
});

async function expectInvariants(scenario: Scenario, invariants: readonly Invariant[]): Promise<Run> {
  const run = await play(scenario);
  const verdicts = check(run, invariants);
  const recovered = invariants
    .map((i) => /^noDegradedTextAfterRecovery\((\d+)/.exec(i.label)?.[1])
    .find((r) => r !== undefined);
  // From the first good answer that ended the outage (the product cannot know sooner) to the first whole
  // second whose frame shows no degraded text: frames are a second apart, so this is an upper bound.
  let clear = '—';
  if (recovered !== undefined) {
    const { at } = recoveryOf(run, Number(recovered) * 1000, affected(run));
    const goodAt = Math.max(Number(recovered) * 1000, ...Object.values(at));
    const clearAt = run.frames.find(
      (f) => f.t * 1000 >= goodAt && !f.banner && f.degradedNotices.length === 0,
    )?.t;
    clear =
      clearAt === undefined
        ? 'never'
        : `${clearAt - Number(recovered)} s | ≤ ${Math.max(0, clearAt - Math.floor(goodAt / 1000))} s`;
  }
  summary.push(
    `| ${scenario.name} | ${recovered === undefined ? '— | ' : ''}${clear} | ${run.transcript.filter((a) => a.text).length} | ${verdicts.reduce((n, v) => n + v.violations.length, 0)} |`,
  );
  // TIMELINE_VERBOSE=1 prints every run's verdicts and table, passing or not.
  if (process.env.TIMELINE_VERBOSE) console.log(report(run, verdicts));
  expect(
    verdicts.filter((v) => v.violations.length > 0).map((v) => v.label),
    report(run, verdicts),
  ).toEqual([]);
  return run;
}

describe('timeline', () => {
  for (const { scenario, invariants } of cases) {
    test(scenario.name, () => expectInvariants(scenario, invariants).then(() => {}));
  }
});

describe('the harness', () => {
  test('TanStack runs on the virtual clock: react-query uses the query-core instance the harness drives', () => {
    expect(QueryClient).toBe(CoreQueryClient);
  });

  test('jsdom tells TanStack about visibility and connectivity as a browser does', async () => {
    const run = await play({
      name: 'hidden and offline, briefly',
      seconds: 4,
      app: { reads: ['pricing'], refetchIntervalMs: false },
      steps: [
        { at: 1, condition: 'hidden' },
        { at: 2, condition: 'visible' },
        { at: 3, condition: 'offline' },
      ],
    });
    // What TanStack believed at each second; afterwards the harness restored both managers.
    expect(run.frames.map((f) => [f.tanstack.focused, f.tanstack.online])).toEqual([
      [true, true],
      [false, true],
      [true, true],
      [true, false],
      [true, false],
    ]);
    expect(focusManager.isFocused()).toBe(true);
    expect(onlineManager.isOnline()).toBe(true);
  });

  test('a healthy shop with a write: every invariant holds, nothing is shown or said', async () => {
    const run = await expectInvariants(
      {
        name: 'all healthy',
        seconds: 40,
        app: { reads: ['pricing', 'reviews', 'recommendations', 'auth'], writes: ['orders'] },
        steps: [order(5, 'mug'), order(12, 'plate')],
      },
      [
        eachOutageTold(),
        trueCountdown,
        ageIsTheBodys,
        atMostOneAnnouncementPer(5),
        writesExactlyOnce,
        slowIsTold(1),
        respectsRetryAfter,
        noDegradedTextAfterRecovery(0),
        valueShown('pricing', 1),
        valueShown('auth', 1),
      ],
    );
    expect(run.frames.filter((f: Frame) => f.banner || f.notices.length)).toEqual([]);
    expect(run.transcript.filter((a) => a.text)).toEqual([]);
    // The page polls every 10 s: 4 reads at load and per poll, and the two writes.
    expect(run.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(run.effects.map((e) => e.tag)).toEqual(['w1', 'w2']);
  });

  test('the invariants fail on a run that lies', () => {
    const frame = (t: number, banner: string, live = ''): Frame => ({
      t,
      banner,
      notices: [],
      degradedNotices: [],
      pendingWrites: 0,
      live: { polite: live, assertive: '' },
      levels: { pricing: banner ? 'cached' : 'normal' },
      appLevel: banner ? 'cached' : 'normal',
      retryAt: {},
      requests: 0,
      values: { pricing: '' },
      ages: banner ? [{ dependencies: ['pricing'], where: 'banner', text: '5 minutes ago' }] : [],
      online: true,
      visible: true,
      tanstack: { focused: true, online: true },
    });
    const run = {
      scenario: { name: 'a lie', seconds: 3, steps: [] },
      frames: [
        frame(0, ''),
        frame(1, 'Showing data as of 5 minutes ago'),
        frame(2, 'Some features…'),
        frame(3, ''),
      ],
      transcript: [
        { at: 1000, region: 'polite', text: 'Everything is working again.' },
        { at: 2000, region: 'polite', text: 'Showing saved data.' },
      ],
      requests: [
        {
          id: 1,
          at: 0,
          dependency: 'pricing',
          method: 'GET',
          url: '/api/pricing/x',
          idempotencyKey: undefined,
          writeTag: undefined,
          reached: true,
          status: 200,
          endedAt: 50,
          outcome: 'ok',
        },
      ],
      writes: [{ tag: 'w1', at: 500, dependency: 'orders', outcome: 'queued' }],
      effects: [],
      bodies: [{ at: 50, dependency: 'pricing' }],
      offline: [],
      hidden: [],
      reloads: [],
      dependencies: ['pricing'],
      labels: { pricing: 'Prices' },
      table: () => '',
    } as const satisfies Run;
    const labels = (invariants: Invariant[]) =>
      check(run, invariants)
        .filter((v) => v.violations.length > 0)
        .map((v) => v.label);
    expect(
      labels([
        ageIsTheBodys,
        atMostOneAnnouncementPer(5),
        noWorkingAgainBeforeFailureWithin(10),
        writesExactlyOnce,
        noDegradedTextAfterRecovery(0),
        eachOutageTold(),
      ]),
    ).toEqual([
      'ageIsTheBodys',
      'atMostOneAnnouncementPer(5)',
      'noWorkingAgainBeforeFailureWithin(10)',
      'writesExactlyOnce',
      'noDegradedTextAfterRecovery(0, 1)',
      'eachOutageTold',
    ]);
  });
});
