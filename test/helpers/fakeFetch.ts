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

// The body makers, the listener counter and the error helpers live with the core tests' helpers.
export { asError, countAbortListeners, stallingBody, unexpected } from '../core/support.js';
