import { createVirtualClock, systemClock } from '../../src/core/clock.js';

describe('the virtual clock', () => {
  test('starts at the given time and moves only when told to', () => {
    const clock = createVirtualClock(1_000);
    expect(clock.now()).toBe(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
  });

  test('fires timers in time order, then in the order they were set, moving time to each', () => {
    const clock = createVirtualClock(0);
    const log: string[] = [];
    clock.setTimeout(() => log.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => log.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => log.push(`c@${clock.now()}`), 20);
    const cleared = clock.setTimeout(() => log.push('never'), 5);
    clock.clearTimeout(cleared);
    clock.advance(15);
    expect(log).toEqual(['a@10']);
    expect(clock.now()).toBe(15);
    clock.advance(100);
    expect(log).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.now()).toBe(115);
    expect(clock.pending).toBe(0);
  });

  test('a timer does not fire a millisecond early', () => {
    const clock = createVirtualClock(0);
    let fired = false;
    clock.setTimeout(() => {
      fired = true;
    }, 100);
    clock.advance(99);
    expect(fired).toBe(false);
    clock.advance(1);
    expect(fired).toBe(true);
  });

  test('timers set by timers fire within the same advance when they are due', () => {
    const clock = createVirtualClock(0);
    const log: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => log.push(clock.now()), 5), 5);
    clock.advance(10);
    expect(log).toEqual([10]);
  });

  test('negative and NaN delays fire at the next advance, even of 0 ms', () => {
    const clock = createVirtualClock(0);
    let n = 0;
    clock.setTimeout(() => n++, -5);
    clock.setTimeout(() => n++, Number.NaN);
    expect(n).toBe(0);
    clock.advance(0);
    expect(n).toBe(2);
  });

  test('pending counts the timers set and neither fired nor cleared; unknown handles are ignored', () => {
    const clock = createVirtualClock(0);
    const a = clock.setTimeout(() => {}, 10);
    clock.setTimeout(() => {}, 20);
    expect(clock.pending).toBe(2);
    clock.clearTimeout(a);
    clock.clearTimeout(a);
    clock.clearTimeout(undefined);
    clock.clearTimeout('nonsense');
    expect(clock.pending).toBe(1);
    clock.advance(20);
    expect(clock.pending).toBe(0);
  });

  test('advanceAsync lets async code driven by the timers run to its next wait', async () => {
    const clock = createVirtualClock(0);
    const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
    const log: number[] = [];
    const task = (async () => {
      await sleep(10);
      log.push(clock.now());
      await sleep(10);
      log.push(clock.now());
    })();
    await clock.advanceAsync(20);
    expect(log).toEqual([10, 20]);
    expect(clock.now()).toBe(20);
    await task;
  });

  test('next() jumps to the next timer and says false when none is left', async () => {
    const clock = createVirtualClock(0);
    let fired = 0;
    clock.setTimeout(() => fired++, 1_000);
    expect(await clock.next()).toBe(true);
    expect([fired, clock.now()]).toEqual([1, 1_000]);
    expect(await clock.next()).toBe(false);
    expect(clock.now()).toBe(1_000);
  });

  test('flush settles promises without moving time', async () => {
    const clock = createVirtualClock(0);
    let done = false;
    void Promise.resolve()
      .then(() => undefined)
      .then(() => {
        done = true;
      });
    await clock.flush();
    expect(done).toBe(true);
    expect(clock.now()).toBe(0);
  });
});

test('step() moves the wall clock, not timers; monotonic() never jumps', () => {
  const clock = createVirtualClock(0);
  let fired = 0;
  clock.setTimeout(() => fired++, 1_000);
  clock.step(-3_600_000);
  expect(clock.now()).toBe(-3_600_000);
  expect(clock.monotonic()).toBe(0);
  clock.advance(999);
  expect(fired).toBe(0);
  clock.advance(1);
  expect(fired).toBe(1);
  expect(clock.monotonic()).toBe(1_000);
});

describe('the system clock', () => {
  test('monotonic() is performance.now(), which never goes back', () => {
    const a = systemClock.monotonic!();
    expect(systemClock.monotonic!()).toBeGreaterThanOrEqual(a);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  test('calls the globals at call time, so fake timers installed later still apply', () => {
    vi.useFakeTimers({ now: 1_000 });
    let fired = false;
    systemClock.setTimeout(() => {
      fired = true;
    }, 50);
    expect(systemClock.now()).toBe(1_000);
    vi.advanceTimersByTime(49);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(true);
  });

  test('clearTimeout cancels a timer', () => {
    vi.useFakeTimers();
    let fired = false;
    const handle = systemClock.setTimeout(() => {
      fired = true;
    }, 50);
    systemClock.clearTimeout(handle);
    vi.advanceTimersByTime(100);
    expect(fired).toBe(false);
  });

  test('a delay beyond the 32-bit timer limit (~24.8 days) is not fired at once, but when it is due', () => {
    // setTimeout keeps its delay in a signed 32-bit integer: longer delays fire after 1 ms.
    vi.useFakeTimers({ now: 0 });
    const thirtyDays = 30 * 86_400_000;
    let firedAt: number | undefined;
    systemClock.setTimeout(() => {
      firedAt = Date.now();
    }, thirtyDays);
    vi.advanceTimersByTime(1_000);
    expect(firedAt).toBeUndefined();
    vi.advanceTimersByTime(thirtyDays - 1_001);
    expect(firedAt).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(firedAt).toBe(thirtyDays);
  });

  test('a long timer can be cleared, also after it has been re-armed', () => {
    vi.useFakeTimers({ now: 0 });
    let fired = false;
    const handle = systemClock.setTimeout(() => {
      fired = true;
    }, 60 * 86_400_000);
    vi.advanceTimersByTime(2 ** 31);
    systemClock.clearTimeout(handle);
    vi.advanceTimersByTime(60 * 86_400_000);
    expect(fired).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('an infinite delay never fires', () => {
    vi.useFakeTimers({ now: 0 });
    let fired = false;
    const handle = systemClock.setTimeout(() => {
      fired = true;
    }, Number.POSITIVE_INFINITY);
    vi.advanceTimersByTime(365 * 86_400_000);
    expect(fired).toBe(false);
    systemClock.clearTimeout(handle);
  });
});
