// A server's Retry-After hold: bounded by retry.maxRetryAfterMs, told by `hold`, and ended by itself
// (`hold-end`), on the virtual clock.
import type { HoldEvent } from '../../src/core/types.js';
import { retryAfter, setup } from './support.js';

describe('a Retry-After hold is bounded and ends by itself', () => {
  test('a year asked (seconds or a far HTTP date) is clamped to retry.maxRetryAfterMs, and the hold event says so', async () => {
    for (const value of ['31536000', 'Fri, 01 Jan 2100 00:00:00 GMT']) {
      const { client, clock } = setup([retryAfter(503, value), 200], { retry: { maxAttempts: 1 } });
      const holds: HoldEvent[] = [];
      client.on('hold', (e) => holds.push(e));
      const t0 = clock.now();
      await client.fetch('api', '/x').catch(() => {});
      expect(holds).toHaveLength(1);
      expect(holds[0]).toMatchObject({ dependency: 'api', status: 503, until: t0 + 300_000, clamped: true });
      expect(holds[0]!.askedMs).toBeGreaterThan(300_000);
      expect(client.status('api')).toMatchObject({ health: 'down', retryAt: t0 + 300_000 });
      await clock.advanceAsync(300_000);
      await expect(client.fetch('api', '/y')).resolves.toHaveProperty('status', 200);
    }
  });

  test('an ask within the cap is kept as it is; the cap is an option and is validated', async () => {
    const { client, clock } = setup([retryAfter(429, '20')], {
      retry: { maxAttempts: 1, maxRetryAfterMs: 60_000 },
    });
    const holds: HoldEvent[] = [];
    client.on('hold', (e) => holds.push(e));
    await client.fetch('api', '/x').catch(() => {});
    expect(holds).toEqual([
      { dependency: 'api', status: 429, until: clock.now() + 20_000, askedMs: 20_000, clamped: false },
    ]);
    expect(() => setup([], { retry: { maxRetryAfterMs: Number.NaN } })).toThrow(/retry\.maxRetryAfterMs/);
  });

  test('hold-end fires when the hold runs out (not a millisecond early), and the dependency is no longer down', async () => {
    const { client, clock } = setup([retryAfter(429, '20')], { retry: { maxAttempts: 1 } });
    const ends: string[] = [];
    client.on('hold-end', (e) => ends.push(e.dependency));
    await client.fetch('api', '/x').catch(() => {});
    const until = client.breaker('api').heldUntil!;
    await clock.advanceAsync(until - clock.now() - 1);
    expect(ends).toEqual([]);
    expect(client.status('api').health).toBe('down');
    await clock.advanceAsync(1);
    expect(ends).toEqual(['api']);
    expect(client.status('api').health).not.toBe('down');
  });

  test('a hold extended before it ends fires hold-end once, at the later end', async () => {
    const { client, clock } = setup([]);
    const ends: number[] = [];
    client.on('hold-end', () => ends.push(clock.now()));
    const t0 = clock.now();
    client.breaker('api').hold(t0 + 5_000);
    client.breaker('api').hold(t0 + 8_000);
    await clock.advanceAsync(10_000);
    expect(ends).toEqual([t0 + 8_000]);
  });

  test('a shorter ask during a longer hold is told with the hold’s real end', () => {
    const { client, clock } = setup([]);
    const t0 = clock.now();
    client.breaker('api').hold(t0 + 30_000);
    const holds: HoldEvent[] = [];
    client.on('hold', (e) => holds.push(e));
    client.breaker('api').hold(t0 + 2_000);
    expect(holds).toEqual([{ dependency: 'api', until: t0 + 30_000, askedMs: 2_000, clamped: false }]);
  });

  test('dispose() stops the hold timer: no hold-end after it, no timer left', async () => {
    const { client, clock } = setup([]);
    const ends: string[] = [];
    client.on('hold-end', (e) => ends.push(e.dependency));
    client.breaker('api').hold(clock.now() + 5_000);
    expect(clock.pending).toBe(1);
    client.dispose();
    expect(clock.pending).toBe(0);
    await clock.advanceAsync(10_000);
    expect(ends).toEqual([]);
  });
});
