import type { BrownoutError } from '../../src/index.js';

/** What a fake fetch saw of one attempt. */
export interface SeenRequest {
  url: string;
  method: string;
  headers: Headers;
  signal: AbortSignal | undefined;
}

type Step =
  | number
  | Response
  | 'network-error'
  | 'hang'
  | ((req: SeenRequest) => Response | Promise<Response>);

/**
 * A fetch stand-in that answers each attempt with the next step (the last one repeats) and behaves like
 * real fetch on abort: a pending call rejects with the signal's reason.
 */
export function fakeFetch(...steps: Step[]) {
  const seen: SeenRequest[] = [];
  const fetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const req: SeenRequest = {
      url: input instanceof Request ? input.url : String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      signal: init.signal ?? undefined,
    };
    seen.push(req);
    const step = steps[Math.min(seen.length - 1, steps.length - 1)]!;
    return new Promise<Response>((resolve, reject) => {
      const signal = req.signal;
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      if (step === 'hang') return;
      if (step === 'network-error') return reject(new TypeError('Failed to fetch'));
      if (typeof step === 'number') return resolve(new Response(step >= 400 ? '' : '{}', { status: step }));
      if (step instanceof Response) return resolve(step.clone());
      Promise.resolve(step(req)).then(resolve, reject);
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

/** A body that sends `chunks` (one per pull) and then, unless `end`, never sends anything again. */
export function stallingBody(chunks: string[], end = false): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]));
      else if (end) controller.close();
      else return new Promise<void>(() => {});
    },
  });
}

/** Counts the 'abort' listeners currently attached to `signal`. */
export function countAbortListeners(signal: AbortSignal): () => number {
  let count = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  const live = new Set<unknown>();
  signal.addEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: unknown,
  ) => {
    if (type === 'abort' && !live.has(listener)) {
      live.add(listener);
      count++;
    }
    add(type, listener, options as AddEventListenerOptions);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: unknown,
  ) => {
    if (type === 'abort' && live.delete(listener)) count--;
    remove(type, listener, options as EventListenerOptions);
  }) as typeof signal.removeEventListener;
  return () => count;
}

/** For `.then(unexpected, asError)`: the call must fail, and its error is returned typed. */
export const unexpected = (): never => {
  throw new Error('expected the call to fail');
};
export const asError = (e: unknown): BrownoutError => e as BrownoutError;
