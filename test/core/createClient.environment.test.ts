// The page the client runs in: offline is the user's connection (not an outage of every dependency), a
// hidden tab sends no probes, every end of a wait is acted on, and a call waiting past slowMs is told.
import { createManualEnvironment } from '../../src/core/environment.js';
import { asError, retryAfter, setup, unexpected } from './support.js';

const offline = () => {
  const environment = createManualEnvironment();
  return { environment };
};

describe('offline', () => {
  test('network errors while offline are not retried and never open the breaker; connectivity is told', async () => {
    const { environment } = offline();
    const s = setup(['network-error'], { breaker: { consecutiveFailures: 1 } }, { environment });
    const told: boolean[] = [];
    s.client.on('connectivity', (e) => told.push(e.online));
    environment.set({ online: false });
    for (let i = 0; i < 4; i++) {
      const { error } = await s.run(s.client.fetch('api', '/x'));
      expect(error).toMatchObject({ kind: 'network', code: 'network.offline', attempts: 1 });
    }
    expect(s.seen).toHaveLength(4); // one attempt each: no retries while offline
    expect(s.client.breaker('api').state.state).toBe('closed');
    environment.set({ online: true });
    environment.set({ online: true }); // no change, nothing told
    expect(told).toEqual([false, true]);
  });

  test('the same errors online count as usual (one failure opens this breaker)', async () => {
    const s = setup(['network-error'], { breaker: { consecutiveFailures: 1 }, retry: { maxAttempts: 1 } });
    const error = await s.client.fetch('api', '/x').then(unexpected, asError);
    expect(error.code).toBe('network');
    expect(s.client.breaker('api').state.state).toBe('open');
  });
});

describe('probe-due: every end of a wait is acted on', () => {
  test('an open period that ends fires probe-due at retryAt, not 1 ms early; the probe path is GET by itself', async () => {
    const s = setup([503, 503, 200], {
      retry: { maxAttempts: 1 },
      breaker: { consecutiveFailures: 1, openMs: 10_000 },
      probe: '/health',
    });
    const due: string[] = [];
    s.client.on('probe-due', (e) => due.push(e.reason));
    await s.client.fetch('api', '/x').then(unexpected, asError);
    const state = s.client.breaker('api').state;
    if (state.state !== 'open') throw new Error('expected open');
    await s.clock.advanceAsync(state.retryAt - s.clock.now() - 1);
    expect(due).toEqual([]);
    await s.clock.advanceAsync(1);
    expect(due).toEqual(['open-ended']);
    expect(s.seen.map((r) => new URL(r.url).pathname)).toEqual(['/x', '/health']);
  });

  test('a listener that claims the probe sends it: the client sends none of its own', async () => {
    const s = setup([503], {
      retry: { maxAttempts: 1 },
      breaker: { consecutiveFailures: 1, openMs: 1_000 },
      probe: '/health',
    });
    s.client.on('probe-due', (e) => e.claim());
    await s.client.fetch('api', '/x').then(unexpected, asError);
    await s.clock.advanceAsync(2_000);
    expect(s.seen).toHaveLength(1);
  });

  test('a Retry-After hold that ends fires probe-due then hold-end, once; down until the probe answers', async () => {
    const s = setup([retryAfter(429, '20'), 200], { retry: { maxAttempts: 1 }, probe: '/health' });
    const order: string[] = [];
    s.client.on('hold-end', () => order.push('hold-end'));
    s.client.on('probe-due', (e) => order.push(e.reason));
    await s.client.fetch('api', '/x').then(unexpected, asError);
    expect(s.client.status('api')).toMatchObject({ health: 'down', heldBy: 429 });
    await s.clock.advanceAsync(20_000);
    expect(order).toEqual(['hold-ended', 'hold-end']); // the probe is out before the end is told
    expect(s.client.status('api').heldBy).toBeUndefined();
    expect(s.seen).toHaveLength(2);
  });

  test('hidden or offline when it comes due: nothing is sent until the page is back, then one probe within 1 s', async () => {
    const environment = createManualEnvironment();
    const s = setup(
      [503, 200],
      { retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 1, openMs: 5_000 }, probe: '/h' },
      { environment },
    );
    const due: string[] = [];
    s.client.on('probe-due', (e) => due.push(e.reason));
    await s.client.fetch('api', '/x').then(unexpected, asError);
    environment.set({ visible: false });
    await s.clock.advanceAsync(60_000);
    expect(due).toEqual([]);
    expect(s.seen).toHaveLength(1);
    environment.set({ visible: true, online: false });
    await s.clock.advanceAsync(5_000);
    expect(due).toEqual([]); // visible but offline: still waiting
    environment.set({ online: true });
    await s.clock.advanceAsync(1_000);
    expect(due).toEqual(['returned']);
    expect(s.seen).toHaveLength(2);
    expect(s.client.breaker('api').state.state).toBe('closed');
  });

  test('dispose stops the wait timer and the environment listener', async () => {
    const environment = createManualEnvironment();
    const s = setup(
      [503],
      { retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 1, openMs: 5_000 } },
      { environment },
    );
    await s.client.fetch('api', '/x').then(unexpected, asError);
    expect(s.clock.pending).toBeGreaterThan(0);
    s.client.dispose();
    expect(s.clock.pending).toBe(0);
    environment.set({ visible: false });
    environment.set({ visible: true });
    expect(s.clock.pending).toBe(0);
  });
});

describe('slow', () => {
  test('a call waiting past slowMs (default half of headersMs) is slow until its headers come', async () => {
    const s = setup(
      [
        () =>
          new Promise<Response>((resolve) => {
            s.clock.setTimeout(() => resolve(new Response('{}')), 2_000);
          }),
      ],
      { timeouts: { headersMs: 3_000 } },
    );
    const told: boolean[] = [];
    s.client.on('slow', (e) => told.push(e.slow));
    const call = s.client.fetch('api', '/x');
    await s.clock.advanceAsync(1_499);
    expect(s.client.status('api').slow).toBe(false);
    await s.clock.advanceAsync(1);
    expect(s.client.status('api').slow).toBe(true);
    await s.clock.advanceAsync(500);
    await call;
    expect(s.client.status('api').slow).toBe(false);
    expect(told).toEqual([true, false]);
  });

  test('slowMs is validated and may be set per dependency', () => {
    expect(() => setup([200], { timeouts: { slowMs: 0 } })).toThrow(/timeouts\.slowMs/);
    expect(setup([200], { timeouts: { slowMs: 250 } }).client.policy('api').timeouts.slowMs).toBe(250);
    expect(() => setup([200], { probe: '' })).toThrow(/probe/);
  });
});
