import {
  type BreakerPolicy,
  type BreakerTransition,
  CircuitBreaker,
  type Permit,
} from '../../src/core/CircuitBreaker.js';
import { createSeededRandom, createVirtualClock } from '../../src/index.js';

const POLICY: BreakerPolicy = {
  consecutiveFailures: 5,
  failureRate: 0.5,
  windowMs: 60_000,
  minimumCalls: 10,
  openMs: 30_000,
  maxOpenMs: 30_000,
  halfOpenTimeoutMs: 10_000,
};

const make = (policy: Partial<BreakerPolicy> = {}) => {
  const clock = createVirtualClock(0);
  const transitions: BreakerTransition[] = [];
  const breaker = new CircuitBreaker({ ...POLICY, ...policy }, clock, createSeededRandom(3), (t) =>
    transitions.push(t),
  );
  const permit = (): Permit => {
    const p = breaker.acquire();
    if (!('done' in p)) throw new Error(`refused: ${p.why}`);
    return p;
  };
  const fail = (n: number) => {
    for (let i = 0; i < n; i++) permit().done('failure');
  };
  return { clock, breaker, transitions, permit, fail };
};

describe('tripping', () => {
  test('opens after N consecutive failures, not before', () => {
    const { breaker, fail, transitions } = make();
    fail(4);
    expect(breaker.state.state).toBe('closed');
    fail(1);
    expect(breaker.state).toMatchObject({ state: 'open', reason: 'consecutive-failures', retryAt: 30_000 });
    expect(transitions).toEqual([{ from: 'closed', to: breaker.state, reason: 'consecutive-failures' }]);
  });

  test('a success resets the consecutive count', () => {
    const { breaker, fail, permit } = make();
    fail(4);
    permit().done('success');
    fail(4);
    expect(breaker.state.state).toBe('closed');
  });

  test('opens on the failure rate once minimumCalls were made in the window', () => {
    const { breaker, fail, permit } = make({ consecutiveFailures: Infinity });
    for (let i = 0; i < 4; i++) {
      permit().done('success');
      fail(1);
    }
    // 8 calls, 50 %: under minimumCalls.
    expect(breaker.state.state).toBe('closed');
    permit().done('success');
    fail(1);
    expect(breaker.state).toMatchObject({ state: 'open', reason: 'failure-rate' });
  });

  test('failures older than the window no longer count', () => {
    const { breaker, fail, permit, clock } = make({ consecutiveFailures: Infinity, minimumCalls: 4 });
    fail(3);
    clock.advance(60_000);
    permit().done('success');
    permit().done('success');
    permit().done('success');
    fail(1);
    expect(breaker.state.state).toBe('closed');
  });

  test('Infinity turns both rules off', () => {
    const { breaker, fail } = make({ consecutiveFailures: Infinity, failureRate: Infinity });
    fail(1_000);
    expect(breaker.state.state).toBe('closed');
  });

  test('neutral outcomes (user aborts, 4xx) do not count', () => {
    const { breaker, permit } = make({ minimumCalls: 1 });
    for (let i = 0; i < 100; i++) permit().done('neutral');
    expect(breaker.state.state).toBe('closed');
  });

  test('late failures of calls that started before the breaker opened do not re-arm it or emit again', () => {
    const { breaker, fail, permit, transitions, clock } = make();
    const late = [permit(), permit(), permit()];
    fail(5);
    const openedAt = (breaker.state as { retryAt: number }).retryAt;
    clock.advance(1_000);
    for (const p of late) p.done('failure');
    expect((breaker.state as { retryAt: number }).retryAt).toBe(openedAt);
    expect(transitions).toHaveLength(1);
  });

  test('reporting twice counts once', () => {
    const { breaker, permit } = make({ consecutiveFailures: 2 });
    const p = permit();
    p.done('failure');
    p.done('failure');
    expect(breaker.state.state).toBe('closed');
  });
});

describe('open and half-open', () => {
  test('an open breaker refuses until openMs, then admits exactly one probe', () => {
    const { breaker, fail, clock, transitions } = make();
    fail(5);
    clock.advance(29_999);
    expect(breaker.acquire()).toEqual({ retryAt: 30_000, why: 'open' });
    clock.advance(1);
    const probe = breaker.acquire();
    expect(probe).toMatchObject({ probe: true });
    expect(transitions.at(-1)).toMatchObject({
      from: 'open',
      to: { state: 'half-open' },
      reason: 'open-elapsed',
    });
    expect(breaker.acquire()).toMatchObject({ why: 'probing' });
  });

  test('100 concurrent callers in half-open: exactly one probe (opossum#119, Polly#216)', () => {
    const { breaker, fail, clock } = make();
    fail(5);
    clock.advance(30_000);
    const answers = Array.from({ length: 100 }, () => breaker.acquire());
    expect(answers.filter((a) => 'done' in a)).toHaveLength(1);
    expect(answers.filter((a) => !('done' in a) && a.why === 'probing')).toHaveLength(99);
  });

  test('probe success closes and forgets the counts', () => {
    const { breaker, fail, clock, transitions } = make();
    fail(5);
    clock.advance(30_000);
    (breaker.acquire() as Permit).done('success');
    expect(breaker.state.state).toBe('closed');
    expect(transitions.at(-1)).toMatchObject({ from: 'half-open', reason: 'probe-succeeded' });
    fail(4);
    expect(breaker.state.state).toBe('closed');
  });

  test('probe failure re-opens with a fresh timer', () => {
    const { breaker, fail, clock } = make();
    fail(5);
    clock.advance(31_000);
    (breaker.acquire() as Permit).done('failure');
    expect(breaker.state).toMatchObject({
      state: 'open',
      reason: 'probe-failed',
      openedAt: 31_000,
      retryAt: 61_000,
    });
  });

  test('an aborted probe gives its permit back: the next caller probes', () => {
    const { breaker, fail, clock } = make();
    fail(5);
    clock.advance(30_000);
    (breaker.acquire() as Permit).done('neutral');
    expect(breaker.state.state).toBe('half-open');
    expect(breaker.acquire()).toMatchObject({ probe: true });
  });

  test('a hung probe releases its permit after halfOpenTimeoutMs (resilience4j#903)', () => {
    const { breaker, fail, clock } = make();
    fail(5);
    clock.advance(30_000);
    const hung = breaker.acquire() as Permit;
    clock.advance(9_999);
    expect(breaker.acquire()).toMatchObject({ why: 'probing' });
    clock.advance(1);
    const next = breaker.acquire() as Permit;
    expect(next.probe).toBe(true);
    hung.done('failure'); // too late: ignored
    expect(breaker.state.state).toBe('half-open');
    next.done('success');
    expect(breaker.state.state).toBe('closed');
    expect(clock.pending).toBe(0);
  });

  test('open time grows on repeated re-opens, with jitter, up to maxOpenMs', () => {
    const { breaker, fail, clock } = make({ openMs: 1_000, maxOpenMs: 8_000 });
    fail(5);
    const spans: number[] = [];
    for (let i = 0; i < 6; i++) {
      const s = breaker.state as { retryAt: number };
      clock.advance(s.retryAt - clock.now());
      (breaker.acquire() as Permit).done('failure');
      const o = breaker.state as { openedAt: number; retryAt: number };
      spans.push(o.retryAt - o.openedAt);
    }
    expect(spans[0]).toBeGreaterThanOrEqual(1_000);
    expect(spans[0]).toBeLessThanOrEqual(2_000);
    expect(spans.every((s) => s >= 1_000 && s <= 8_000)).toBe(true);
    expect(spans.at(-1)).toBeGreaterThanOrEqual(4_000);
  });

  test.each([Number.NaN, 7, -1, Number.POSITIVE_INFINITY])(
    'a random() of %s cannot make the next probe time non-finite or shorter than openMs',
    (value) => {
      const clock = createVirtualClock(0);
      const breaker = new CircuitBreaker(
        { ...POLICY, openMs: 1_000, maxOpenMs: 8_000 },
        clock,
        () => value,
        () => {},
      );
      for (let i = 0; i < 5; i++) (breaker.acquire() as Permit).done('failure');
      for (let i = 0; i < 4; i++) {
        const s = breaker.state as { retryAt: number };
        clock.advance(s.retryAt - clock.now());
        (breaker.acquire() as Permit).done('failure');
        const o = breaker.state as { state: string; openedAt: number; retryAt: number };
        expect(o.state).toBe('open');
        expect(Number.isFinite(o.retryAt)).toBe(true);
        expect(o.retryAt - o.openedAt).toBeGreaterThanOrEqual(1_000);
        expect(o.retryAt - o.openedAt).toBeLessThanOrEqual(8_000);
      }
    },
  );
});

describe('holds and operator switches', () => {
  test('a Retry-After hold refuses every call until then, whatever the state', () => {
    const { breaker, clock } = make();
    breaker.hold(5_000);
    expect(breaker.acquire()).toEqual({ retryAt: 5_000, why: 'held' });
    expect(breaker.heldUntilMs).toBe(5_000);
    clock.advance(5_000);
    expect(breaker.acquire()).toHaveProperty('done');
    expect(breaker.heldUntilMs).toBeUndefined();
  });

  test('a shorter hold does not shorten a longer one', () => {
    const { breaker } = make();
    breaker.hold(5_000);
    breaker.hold(1_000);
    expect(breaker.acquire()).toMatchObject({ retryAt: 5_000 });
  });

  test('isolate() opens until reset()', () => {
    const { breaker, clock, transitions } = make();
    breaker.isolate();
    clock.advance(1e9);
    expect(breaker.acquire()).toEqual({ retryAt: Infinity, why: 'open' });
    breaker.reset();
    expect(breaker.state.state).toBe('closed');
    expect(transitions.map((t) => t.reason)).toEqual(['isolated', 'reset']);
  });

  test('isolate() twice tells one open', () => {
    const { breaker, transitions } = make();
    breaker.isolate();
    breaker.isolate();
    expect(transitions.map((t) => `${t.from}→${t.to.state}:${t.reason}`)).toEqual(['closed→open:isolated']);
  });

  test('toJSON and restore keep an open breaker open until its time', () => {
    const a = make();
    a.fail(5);
    const saved = JSON.parse(JSON.stringify(a.breaker));
    const b = make();
    b.clock.advance(10_000);
    b.breaker.restore(saved);
    expect(b.breaker.acquire()).toEqual({ retryAt: 30_000, why: 'open' });
    b.clock.advance(20_000);
    expect(b.breaker.acquire()).toMatchObject({ probe: true });
  });

  test('a saved closed or half-open state restores as closed', () => {
    const { breaker } = make();
    breaker.restore({ state: 'half-open', since: 0, reopens: 1 });
    expect(breaker.state.state).toBe('closed');
  });

  test('probeNow lets exactly one probe through before retryAt, then refuses as half-open does', () => {
    const { breaker, fail, clock, transitions } = make();
    fail(5);
    clock.advance(1_000);
    expect(breaker.probeNow()).toBe(true);
    expect(breaker.state).toMatchObject({ state: 'half-open', since: 1_000 });
    expect(transitions.at(-1)?.reason).toBe('open-elapsed');
    const probe = breaker.acquire();
    expect(probe).toMatchObject({ probe: true });
    expect(breaker.acquire()).toMatchObject({ why: 'probing' });
    expect(breaker.probeNow()).toBe(false); // a second press does not send a second probe
    (probe as Permit).done('success');
    expect(breaker.state.state).toBe('closed');
    expect(breaker.probeNow()).toBe(true); // closed: calls go anyway
  });

  test('probeNow does not skip a Retry-After hold or an isolation', () => {
    const held = make();
    held.fail(5);
    held.breaker.hold(60_000);
    expect(held.breaker.probeNow()).toBe(false);
    expect(held.breaker.state.state).toBe('open');
    const isolated = make();
    isolated.breaker.isolate();
    expect(isolated.breaker.probeNow()).toBe(false);
    expect(isolated.breaker.acquire()).toEqual({ retryAt: Infinity, why: 'open' });
  });

  test('dispose clears the probe timer', () => {
    const { breaker, fail, clock } = make();
    fail(5);
    clock.advance(30_000);
    breaker.acquire();
    expect(clock.pending).toBe(1);
    breaker.dispose();
    expect(clock.pending).toBe(0);
  });
});

describe('wall-clock steps (the open period and holds run on the monotonic clock)', () => {
  test('the wall clock stepped an hour back: the breaker still half-opens after its 30 s, and says when in the new time', () => {
    const { clock, breaker, fail } = make({ consecutiveFailures: 1 });
    fail(1);
    clock.advance(10_000);
    clock.step(-3_600_000);
    // 20 s left, told in the stepped wall time.
    expect(breaker.state).toMatchObject({ state: 'open', retryAt: clock.now() + 20_000 });
    clock.advance(19_999);
    expect(breaker.state.state).toBe('open');
    clock.advance(1);
    expect(breaker.state.state).toBe('half-open');
  });

  test('stepped an hour forward: the open period is not skipped', () => {
    const { clock, breaker, fail } = make({ consecutiveFailures: 1 });
    fail(1);
    clock.step(3_600_000);
    expect(breaker.state.state).toBe('open');
    expect(breaker.acquire()).toMatchObject({ why: 'open', retryAt: clock.now() + 30_000 });
    clock.advance(30_000);
    expect(breaker.state.state).toBe('half-open');
  });

  test('stepped an hour back: failures still leave the failure-rate window after windowMs', () => {
    const { clock, breaker, fail, permit } = make({ consecutiveFailures: Infinity, minimumCalls: 4 });
    clock.step(7_200_000);
    fail(3);
    clock.step(-3_600_000);
    clock.advance(66_000);
    for (let i = 0; i < 3; i++) permit().done('success');
    fail(1);
    // Only the last four calls are in the window: 25 % failed.
    expect(breaker.state.state).toBe('closed');
  });

  test("a server's hold (Retry-After) neither freezes nor ends early when the wall clock jumps", () => {
    const { clock, breaker } = make();
    breaker.hold(clock.now() + 20_000);
    clock.step(-3_600_000);
    expect(breaker.heldUntilMs).toBe(clock.now() + 20_000);
    clock.advance(20_000);
    expect(breaker.heldUntilMs).toBeUndefined();
    breaker.hold(clock.now() + 20_000);
    clock.step(3_600_000);
    expect(breaker.acquire()).toMatchObject({ why: 'held' });
  });
});
