import { MetricsRecorder } from '../../src/core/metrics.js';

describe('MetricsRecorder', () => {
  test('a fresh recorder reports zeros, and a retry rate of 0 rather than NaN', () => {
    expect(new MetricsRecorder('api').snapshot()).toEqual({
      dependency: 'api',
      requests: 0,
      attempts: 0,
      successes: 0,
      failures: 0,
      retries: 0,
      retryRate: 0,
      fallbacks: 0,
      inFlight: 0,
      queued: 0,
      errorsByClass: {
        '4xx': 0,
        '5xx': 0,
        timeout: 0,
        network: 0,
        breaker: 0,
        budget: 0,
        queue: 0,
        aborted: 0,
      },
      latency: { p50: 0, p95: 0, p99: 0, count: 0 },
    });
  });

  test('the retry rate is retries per request; latency quantiles come from the histogram', () => {
    const m = new MetricsRecorder('api');
    m.requests = 4;
    m.retries = 2;
    for (let i = 0; i < 99; i++) m.latency.record(10);
    m.latency.record(5_000);
    const s = m.snapshot(3, 1);
    expect(s).toMatchObject({ retryRate: 0.5, inFlight: 3, queued: 1 });
    expect(s.latency.count).toBe(100);
    expect(s.latency.p50).toBeCloseTo(10, -0.5);
    expect(s.latency.p99).toBeCloseTo(10, -0.5);
  });

  test('a snapshot is a copy: later counts do not change it', () => {
    const m = new MetricsRecorder('api');
    const before = m.snapshot();
    m.requests++;
    m.errorsByClass['5xx']++;
    expect(before.requests).toBe(0);
    expect(before.errorsByClass['5xx']).toBe(0);
  });
});
