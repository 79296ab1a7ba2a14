import { RollingWindow } from '../../src/core/RollingWindow.js';
import {
  BrownoutError,
  createIdempotencyKey,
  createSeededRandom,
  createTraceparent,
  createVirtualClock,
  isBrownoutError,
  LatencyHistogram,
  statusTitle,
  systemClock,
  traceIdOf,
} from '../../src/index.js';

describe('virtual clock', () => {
  test('fires timers in time order, then insertion order, and moves time to each', () => {
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
    expect(clock.pending).toBe(0);
  });

  test('timers scheduled by timers fire within the same advance', () => {
    const clock = createVirtualClock(0);
    const log: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => log.push(clock.now()), 5), 5);
    clock.advance(10);
    expect(log).toEqual([10]);
  });

  test('negative and NaN delays fire at once', () => {
    const clock = createVirtualClock(0);
    let n = 0;
    clock.setTimeout(() => n++, -5);
    clock.setTimeout(() => n++, Number.NaN);
    clock.advance(0);
    expect(n).toBe(2);
  });

  test('the system clock calls the globals at call time, so fake timers apply', () => {
    vi.useFakeTimers({ now: 1_000 });
    try {
      let fired = false;
      systemClock.setTimeout(() => {
        fired = true;
      }, 50);
      expect(systemClock.now()).toBe(1_000);
      vi.advanceTimersByTime(50);
      expect(fired).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('seeded random', () => {
  test('the same seed gives the same sequence in [0, 1)', () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    const xs = Array.from({ length: 1_000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1_000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(1_000);
  });
});

describe('ids and trace context', () => {
  test('idempotency keys are v4 UUIDs and unique', () => {
    const keys = new Set(Array.from({ length: 1_000 }, createIdempotencyKey));
    expect(keys.size).toBe(1_000);
    for (const k of keys)
      expect(k).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('without randomUUID, keys come from getRandomValues, still v4', () => {
    const original = globalThis.crypto.randomUUID;
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(createIdempotencyKey()).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    } finally {
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: original, configurable: true });
    }
  });

  test('traceparent is 00-<32 hex>-<16 hex>-01, lowercase, not all zeros', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    const a = createTraceparent(id);
    const b = createTraceparent(id);
    expect(a).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(a).not.toBe(b);
    expect(a.split('-')[2]).not.toMatch(/^0+$/);
  });

  test('traceIdOf accepts valid headers only', () => {
    expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    for (const bad of [
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      'garbage',
      '',
      null,
    ]) {
      expect(traceIdOf(bad)).toBeUndefined();
    }
  });
});

describe('LatencyHistogram', () => {
  test('memory does not grow with samples and quantiles stay within 5 %', () => {
    const h = new LatencyHistogram();
    const size = (h as unknown as { counts: Uint32Array }).counts.length;
    for (let i = 1; i <= 1_000_000; i++) h.record(i % 1_000);
    expect((h as unknown as { counts: Uint32Array }).counts.length).toBe(size);
    expect(h.count).toBe(1_000_000);
    expect(h.quantile(0.5) / 500).toBeGreaterThan(0.95);
    expect(h.quantile(0.5) / 500).toBeLessThan(1.05);
    expect(h.quantile(0.99) / 990).toBeGreaterThan(0.95);
    expect(h.quantile(0.99)).toBeLessThanOrEqual(999);
  });

  test('ignores nonsense, is empty after reset, and caps at the largest value', () => {
    const h = new LatencyHistogram();
    for (const v of [-1, Number.NaN, Infinity]) h.record(v);
    expect(h.count).toBe(0);
    expect(h.quantile(0.5)).toBe(0);
    h.record(0.2);
    expect(h.quantile(0.99)).toBe(0.2);
    h.record(10_000_000);
    expect(h.quantile(1)).toBeLessThanOrEqual(10_000_000);
    h.reset();
    expect(h.count).toBe(0);
  });
});

describe('RollingWindow', () => {
  test('counts exactly at bucket edges and fully resets evicted buckets', () => {
    const clock = createVirtualClock(0);
    const w = new RollingWindow(clock, 1_000, ['n'], 10);
    w.add('n');
    clock.advance(999);
    expect(w.sum('n')).toBe(1);
    clock.advance(1);
    expect(w.sum('n')).toBe(0);
    w.add('n', 5);
    clock.advance(10_000);
    w.add('n');
    expect(w.sum('n')).toBe(1);
  });

  test('the same slot, a full window later, starts from zero', () => {
    const clock = createVirtualClock(0);
    const w = new RollingWindow(clock, 1_000, ['n'], 10);
    w.add('n', 3);
    clock.advance(1_000);
    w.add('n');
    expect(w.sum('n')).toBe(1);
  });
});

describe('BrownoutError', () => {
  test('defaults the problem members and keeps the cause', () => {
    const cause = new Error('x');
    const e = new BrownoutError({ kind: 'http', code: 'http.503', message: 'm', status: 503, cause });
    expect(e).toMatchObject({
      type: 'about:blank',
      title: 'Service Unavailable',
      retriable: false,
      attempts: 0,
    });
    expect(e.cause).toBe(cause);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('BrownoutError');
  });

  test('isBrownoutError recognises copies from another bundle by shape', () => {
    const foreign = Object.assign(new Error('m'), {
      name: 'BrownoutError',
      kind: 'timeout',
      code: 'timeout.headers',
    });
    expect(isBrownoutError(foreign)).toBe(true);
    expect(isBrownoutError(new Error('m'))).toBe(false);
    expect(isBrownoutError({ kind: 'timeout', code: 'x', name: 'BrownoutError' })).toBe(false);
  });

  test('statusTitle knows the common phrases', () => {
    expect([statusTitle(429), statusTitle(599), statusTitle(499), statusTitle(302)]).toEqual([
      'Too Many Requests',
      'Server Error',
      'Client Error',
      'HTTP Error',
    ]);
  });
});
