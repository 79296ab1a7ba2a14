import { createVirtualClock } from '../../src/core/clock.js';
import { RollingWindow } from '../../src/core/RollingWindow.js';

const internals = (w: RollingWindow<string>) =>
  w as unknown as { counts: Float64Array; starts: Float64Array };

describe('RollingWindow', () => {
  test('sums what was added within the window, per field', () => {
    const clock = createVirtualClock(0);
    const w = new RollingWindow(clock, 1_000, ['calls', 'failures']);
    w.add('calls');
    w.add('calls', 2);
    w.add('failures');
    expect([w.sum('calls'), w.sum('failures')]).toEqual([3, 1]);
  });

  test('counts exactly at slice edges and forgets a slice whole once it leaves the window', () => {
    const clock = createVirtualClock(0);
    const w = new RollingWindow(clock, 1_000, ['n'], 10);
    w.add('n');
    clock.advance(999);
    expect(w.sum('n')).toBe(1);
    clock.advance(1);
    expect(w.sum('n')).toBe(0);
  });

  test('older slices drop out one at a time as time moves on', () => {
    const clock = createVirtualClock(0);
    const w = new RollingWindow(clock, 1_000, ['n'], 10);
    for (let i = 0; i < 10; i++) {
      w.add('n');
      clock.advance(100);
    }
    // Now at 1 000: the slice of t=0 has left; the nine others remain.
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      seen.push(w.sum('n'));
      clock.advance(100);
    }
    expect(seen).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  test('a slot reused a full window later starts from zero', () => {
    const clock = createVirtualClock(0);
    const w = new RollingWindow(clock, 1_000, ['n'], 10);
    w.add('n', 3);
    clock.advance(1_000);
    w.add('n');
    expect(w.sum('n')).toBe(1);
    clock.advance(10_000);
    w.add('n');
    expect(w.sum('n')).toBe(1);
  });

  test('reset forgets everything', () => {
    const clock = createVirtualClock(0);
    const w = new RollingWindow(clock, 1_000, ['n']);
    w.add('n', 5);
    w.reset();
    expect(w.sum('n')).toBe(0);
  });

  test('memory is fixed whatever the traffic: a million adds over an hour keep the same arrays', () => {
    const clock = createVirtualClock(0);
    const w = new RollingWindow(clock, 10_000, ['a', 'b'], 10);
    const { counts, starts } = internals(w);
    const sizes = [counts.length, starts.length];
    for (let i = 0; i < 1_000_000; i++) {
      w.add(i % 2 ? 'a' : 'b');
      if (i % 300 === 0) clock.advance(1);
    }
    expect([internals(w).counts.length, internals(w).starts.length]).toEqual(sizes);
    expect(internals(w).counts).toBe(counts);
    expect(w.sum('a') + w.sum('b')).toBeLessThanOrEqual(1_000_000);
  });
});
