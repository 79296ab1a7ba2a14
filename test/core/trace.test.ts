import { createTraceId, createTraceparent, isPropagationAllowed, traceIdOf } from '../../src/core/trace.js';
import { TRACEPARENT } from './support.js';

describe('trace ids (W3C Trace Context)', () => {
  test('a trace id is 32 lowercase hex digits, not all zeros, and new every time', () => {
    const ids = new Set(Array.from({ length: 1_000 }, createTraceId));
    expect(ids.size).toBe(1_000);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(id).not.toMatch(/^0+$/);
    }
  });

  test('traceparent is 00-<trace id>-<16 hex>-01 with a fresh parent id each time', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    const values = Array.from({ length: 100 }, () => createTraceparent(id));
    const parents = new Set<string>();
    for (const value of values) {
      const m = TRACEPARENT.exec(value);
      expect(m).not.toBeNull();
      expect(m![1]).toBe(id);
      expect(m![2]).not.toMatch(/^0+$/);
      parents.add(m![2]!);
    }
    expect(parents.size).toBe(100);
  });

  test('a traceparent made here is read back by traceIdOf', () => {
    const id = createTraceId();
    expect(traceIdOf(createTraceparent(id))).toBe(id);
  });
});

describe('traceIdOf', () => {
  test('gives the trace id of a valid header, surrounding spaces allowed', () => {
    expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(traceIdOf(' 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00 ')).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  test.each([
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['uppercase hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['a missing part', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7'],
    ['garbage', 'garbage'],
    ['empty', ''],
    ['null', null],
    ['undefined', undefined],
  ])('%s gives undefined', (_what, value) => {
    expect(traceIdOf(value)).toBeUndefined();
  });
});

describe('isPropagationAllowed', () => {
  const allowed = new Set(['https://api.test']);

  test('an allowed origin may receive the headers, whatever the path', () => {
    expect(isPropagationAllowed(new URL('https://api.test/v1/prices?x=1'), allowed)).toBe(true);
  });

  test("the page's own origin may receive them", () => {
    expect(isPropagationAllowed(new URL('/relative', location.href), new Set())).toBe(true);
  });

  test.each([
    ['another host', 'https://evil.test/'],
    ['a subdomain of an allowed origin', 'https://x.api.test/'],
    ['another scheme', 'http://api.test/'],
    ['another port', 'https://api.test:8443/'],
    ["another port of the page's host", `${location.protocol}//${location.hostname}:1/`],
  ])('%s may not', (_what, url) => {
    expect(isPropagationAllowed(new URL(url), allowed)).toBe(false);
  });

  test('an unparsable URL may not', () => {
    expect(isPropagationAllowed(undefined, allowed)).toBe(false);
  });
});
