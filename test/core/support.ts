/**
 * Shared stand-ins for the core tests: a fetch stub with counters that behaves like real fetch on abort,
 * bodies that stall, trickle or never end, and a way to run a call to its end on the virtual clock.
 */
import type { BrownoutError } from '../../src/core/BrownoutError.js';
import { createVirtualClock, type VirtualClock } from '../../src/core/clock.js';
import { createCoreClient as createClient } from '../../src/core/createCoreClient.js';
import type { ClientOptions, DependencyOptions } from '../../src/core/options.js';
import type { CachedResponse, ResponseCache } from '../../src/core/ResponseCache.js';
import { createSeededRandom } from '../../src/core/random.js';

/** What the stub saw of one attempt. */
export interface SeenRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal | undefined;
  /** The virtual time the attempt was sent at. */
  readonly at: number;
}

/** How the stub answers one attempt. */
export type Answer =
  | number
  | 'network-error'
  | 'hang'
  | ((request: SeenRequest) => Response | Promise<Response>);

/**
 * A fetch stub answering attempt n with `answers[n]` (the last one repeats). Like real fetch, a pending
 * call rejects with the signal's reason when the signal aborts, and an aborted signal fails at once.
 */
export function stubFetch(clock: VirtualClock, ...answers: Answer[]) {
  const seen: SeenRequest[] = [];
  const fetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const request: SeenRequest = {
      url: input instanceof Request ? input.url : String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      signal: init.signal ?? undefined,
      at: clock.now(),
    };
    seen.push(request);
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    return new Promise<Response>((resolve, reject) => {
      const { signal } = request;
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      if (answer === 'hang') return;
      if (answer === 'network-error') return reject(new TypeError('Failed to fetch'));
      if (typeof answer === 'number')
        return resolve(new Response(answer >= 400 ? '' : '{}', { status: answer }));
      Promise.resolve()
        .then(() => answer(request))
        .then(resolve, reject);
    });
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    seen,
    /** Attempts made so far. */
    get calls(): number {
      return seen.length;
    },
  };
}

/** A response with a `Retry-After` header. */
export const retryAfter = (status: number, value: string): (() => Response) => {
  return () => new Response('', { status, headers: { 'retry-after': value } });
};

const encoder = new TextEncoder();

/** A body that sends `chunks`, one per read, then either ends or never sends anything again. */
export function stallingBody(chunks: readonly string[], end = false): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]));
        else if (end) controller.close();
        else return new Promise<void>(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}

/** A body that sends one of `chunks` every `everyMs` on the virtual clock, then ends. */
export function tricklingBody(
  clock: VirtualClock,
  chunks: readonly string[],
  everyMs: number,
): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull: (controller) =>
        new Promise<void>((resolve) => {
          clock.setTimeout(() => {
            if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]));
            else controller.close();
            resolve();
          }, everyMs);
        }),
    },
    { highWaterMark: 0 },
  );
}

/** A generated body of `totalBytes` in `chunkBytes` chunks, made only as it is pulled; counts what was. */
export function hugeBody(totalBytes: number, chunkBytes = 64 * 1024) {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= totalBytes) return controller.close();
        const size = Math.min(chunkBytes, totalBytes - pulled);
        pulled += size;
        controller.enqueue(new Uint8Array(size).fill(0x7b));
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    get pulled(): number {
      return pulled;
    },
    get cancelled(): boolean {
      return cancelled;
    },
  };
}

/**
 * Counts the 'abort' listeners attached to `signal` right now, by wrapping `addEventListener` and
 * `removeEventListener` on that instance.
 */
export function countAbortListeners(signal: AbortSignal): () => number {
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: unknown,
  ) => {
    if (type === 'abort') live.add(listener);
    add(type, listener, options as AddEventListenerOptions);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: unknown,
  ) => {
    if (type === 'abort') live.delete(listener);
    remove(type, listener, options as EventListenerOptions);
  }) as typeof signal.removeEventListener;
  return () => live.size;
}

/** How a call ended. */
export interface Outcome<T> {
  readonly value?: T;
  readonly error?: BrownoutError;
}

/** Captures how `promise` ends without letting it reject unhandled. */
export function outcome<T>(promise: Promise<T>): Promise<Outcome<T>> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error as BrownoutError }),
  );
}

/** Fires every pending timer, in order, until none is left. */
export async function drain(clock: VirtualClock): Promise<void> {
  while (await clock.next()) {}
}

/** Runs `promise` to its end on the virtual clock and tells how it ended. */
export async function run<T>(clock: VirtualClock, promise: Promise<T>): Promise<Outcome<T>> {
  const result = outcome(promise);
  await drain(clock);
  return result;
}

/** For `.then(unexpected, asError)`: the call must fail, and its error is returned typed. */
export const unexpected = (): never => {
  throw new Error('expected the call to fail');
};
export const asError = (e: unknown): BrownoutError => e as BrownoutError;

/** `00-<trace id>-<parent id>-<flags>`: W3C Trace Context §3.2, lowercase. */
export const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

/** The origin the test dependency lives on; it is allowed to receive trace and idempotency headers. */
export const ORIGIN = 'https://api.test';

/**
 * A client on a virtual clock with one dependency `api` at {@link ORIGIN}, a seeded random, and a fetch
 * stub answering with `answers`.
 */
export function setup(
  answers: readonly Answer[],
  dependency: DependencyOptions = {},
  options: Omit<Partial<ClientOptions<'api'>>, 'dependencies'> = {},
) {
  const clock = options.clock ? (options.clock as VirtualClock) : createVirtualClock();
  const stub = stubFetch(clock, ...answers);
  const client = createClient<'api'>({
    clock,
    random: createSeededRandom(7),
    fetch: stub.fetch,
    allowedOrigins: [ORIGIN],
    ...options,
    dependencies: { api: { baseUrl: ORIGIN, ...dependency } },
  });
  return {
    clock,
    client,
    stub,
    seen: stub.seen,
    /** Runs a call to its end on the virtual clock. */
    run: <T>(promise: Promise<T>) => run(clock, promise),
  };
}

/** A plain in-memory {@link ResponseCache}: the port the core client reads last good values from. */
export function mapCache(): ResponseCache & { readonly entries: Map<string, CachedResponse> } {
  const entries = new Map<string, CachedResponse>();
  return {
    entries,
    get: (key) => entries.get(key),
    set: (entry) => {
      entries.set(entry.key, entry);
    },
    delete: (key) => {
      entries.delete(key);
    },
    clear: () => entries.clear(),
  };
}
