import { createVirtualClock, type VirtualClock } from '../../src/core/clock.js';
import { type WatchBodyOptions, watchBody } from '../../src/core/watchBody.js';
import { countAbortListeners, stallingBody, tricklingBody } from './support.js';

class Tagged extends Error {
  constructor(readonly tag: string) {
    super(tag);
  }
}

const watch = (
  clock: VirtualClock,
  body: ReadableStream<Uint8Array>,
  extra: Partial<WatchBodyOptions> = {},
) => {
  const settled: boolean[] = [];
  const chunks: string[] = [];
  const stream = watchBody(body, {
    clock,
    idleMs: 1_000,
    deadline: clock.now() + 60_000,
    signal: undefined,
    onTimeout: (which) => new Tagged(`timeout.${which}`),
    onAbort: (reason) => new Tagged(`aborted:${String(reason)}`),
    onError: (cause) => new Tagged(`error:${(cause as Error).message}`),
    onChunk: (chunk) => chunks.push(new TextDecoder().decode(chunk)),
    onSettled: (complete) => settled.push(complete),
    ...extra,
  });
  const text = new Response(stream).text().then(
    (t) => t,
    (e: Tagged) => e,
  );
  return { stream, text, settled, chunks };
};

describe('watchBody', () => {
  test('passes a complete body through, chunk by chunk, and reports it complete once', async () => {
    const clock = createVirtualClock(0);
    const { text, settled, chunks } = watch(clock, stallingBody(['{"a":', '1}'], true));
    expect(await text).toBe('{"a":1}');
    expect(chunks).toEqual(['{"a":', '1}']);
    expect(settled).toEqual([true]);
    expect(clock.pending).toBe(0);
  });

  test('a stall longer than idleMs fails the read with the body timeout', async () => {
    const clock = createVirtualClock(0);
    const { text, settled } = watch(clock, stallingBody(['x']));
    await clock.advanceAsync(999);
    expect(settled).toEqual([]);
    await clock.advanceAsync(1);
    expect(await text).toMatchObject({ tag: 'timeout.body' });
    expect(settled).toEqual([false]);
    expect(clock.pending).toBe(0);
  });

  test('chunks arriving every idleMs - 1 never time out', async () => {
    const clock = createVirtualClock(0);
    const { text } = watch(clock, tricklingBody(clock, ['a', 'b', 'c', 'd'], 999));
    while (await clock.next()) {}
    expect(await text).toBe('abcd');
  });

  test('the call deadline cuts the wait short, as a total timeout', async () => {
    const clock = createVirtualClock(0);
    const { text } = watch(clock, stallingBody([]), { deadline: 300 });
    await clock.advanceAsync(300);
    expect(await text).toMatchObject({ tag: 'timeout.total' });
  });

  test('a read started past the deadline fails at once', async () => {
    const clock = createVirtualClock(0);
    const { text } = watch(clock, stallingBody(['x']), { deadline: 0 });
    expect(await text).toMatchObject({ tag: 'timeout.total' });
    expect(clock.pending).toBe(0);
  });

  test('an abort while a read waits fails it with the abort reason', async () => {
    const clock = createVirtualClock(0);
    const controller = new AbortController();
    const { text } = watch(clock, stallingBody(['x']), { signal: controller.signal });
    await clock.flush();
    controller.abort('stop');
    expect(await text).toMatchObject({ tag: 'aborted:stop' });
    expect(clock.pending).toBe(0);
  });

  test("the client's stop signal (dispose) fails a pending read through onAbort, leaving no listener", async () => {
    const clock = createVirtualClock(0);
    const stop = new AbortController();
    const listeners = countAbortListeners(stop.signal);
    const { text } = watch(clock, stallingBody(['x']), { stop: stop.signal });
    await clock.flush();
    expect(listeners()).toBe(1);
    stop.abort('disposed');
    expect(await text).toMatchObject({ tag: 'aborted:disposed' });
    expect([clock.pending, listeners()]).toEqual([0, 0]);
  });

  test('an already-aborted signal fails the first read', async () => {
    const clock = createVirtualClock(0);
    const { text } = watch(clock, stallingBody(['x'], true), { signal: AbortSignal.abort('gone') });
    expect(await text).toMatchObject({ tag: 'aborted:gone' });
  });

  test('a broken connection fails the read through onError', async () => {
    const clock = createVirtualClock(0);
    const broken = new ReadableStream<Uint8Array>({
      pull: (c) => c.error(new Error('reset')),
    });
    const { text, settled } = watch(clock, broken);
    expect(await text).toMatchObject({ tag: 'error:reset' });
    expect(settled).toEqual([false]);
  });

  test('a body nobody reads holds no timer and no abort listener', async () => {
    const clock = createVirtualClock(0);
    const controller = new AbortController();
    const listeners = countAbortListeners(controller.signal);
    watchBody(stallingBody(['x']), {
      clock,
      idleMs: 1_000,
      deadline: 60_000,
      signal: controller.signal,
      onTimeout: () => new Error('t'),
      onAbort: () => new Error('a'),
      onError: () => new Error('e'),
      onSettled: () => {},
    });
    await clock.flush();
    expect(clock.pending).toBe(0);
    expect(listeners()).toBe(0);
  });

  test('between reads no timer or listener is held; cancelling settles once and cancels the source', async () => {
    const clock = createVirtualClock(0);
    const controller = new AbortController();
    const listeners = countAbortListeners(controller.signal);
    let cancelled: unknown;
    const source = new ReadableStream<Uint8Array>(
      {
        pull: (c) => c.enqueue(new Uint8Array([1])),
        cancel: (reason) => {
          cancelled = reason;
        },
      },
      { highWaterMark: 0 },
    );
    const settled: boolean[] = [];
    const reader = watchBody(source, {
      clock,
      idleMs: 1_000,
      deadline: 60_000,
      signal: controller.signal,
      onTimeout: () => new Error('t'),
      onAbort: () => new Error('a'),
      onError: () => new Error('e'),
      onSettled: (complete) => settled.push(complete),
    }).getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([1]));
    expect([clock.pending, listeners()]).toEqual([0, 0]);
    await reader.cancel('enough');
    expect(cancelled).toBe('enough');
    expect(settled).toEqual([false]);
  });
});
