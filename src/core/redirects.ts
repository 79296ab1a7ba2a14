/**
 * Redirects that keep Brownout's headers to the origins allowed to receive them. fetch follows a redirect
 * with every header but `Authorization` (whatwg/fetch#1544), so a 3xx to another origin would hand it the
 * trace context, the idempotency key and the deadline. Where fetch shows redirects to the caller
 * (`redirect: 'manual'`), the client follows them itself and drops those headers at the first hop to an
 * origin that may not have them; browsers show no redirect to script, so there fetch follows them.
 */

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Fetch §4.4 "HTTP-redirect fetch": more than 20 redirects is a network error.
const MAX_REDIRECTS = 20;
// Dropped with the body when a redirect turns the request into a GET (Fetch: "request-body-header name").
const BODY_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-location'];

/**
 * Whether `redirect: 'manual'` shows the redirect itself: outside a page (no `location`: Node, Bun, Deno,
 * edge workers). A page or a web worker gets an opaque response instead, so there fetch must follow.
 */
export const seesRedirects = (): boolean => (globalThis as { location?: unknown }).location === undefined;

/** The next hop's request, changed as fetch changes it: 303 (and 301/302 after a POST) becomes a GET. */
function nextInit(init: RequestInit, status: number): RequestInit {
  const toGet =
    (status === 303 && init.method !== 'HEAD') ||
    ((status === 301 || status === 302) && init.method === 'POST');
  if (!toGet) return init;
  const headers = new Headers(init.headers);
  for (const name of BODY_HEADERS) headers.delete(name);
  return { ...init, method: 'GET', body: null, headers };
}

/**
 * fetch, following redirects by hand while the next origin `mayReceive` the headers named in `own`; at
 * the first hop to any other origin those headers (and `Authorization`, as fetch does) are dropped and
 * fetch follows the rest of the way. The response says `redirected`, as fetch's own does.
 */
export async function fetchKeepingHeaders(
  fetchImpl: typeof fetch,
  input: string | Request,
  init: RequestInit,
  own: readonly string[],
  mayReceive: (url: URL) => boolean,
): Promise<Response> {
  let current = new URL(typeof input === 'string' ? input : input.url);
  let hopInit = init;
  for (let hop = 0; ; hop++) {
    const response = await fetchImpl(hop === 0 ? input : current.href, { ...hopInit, redirect: 'manual' });
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null)
      return hop === 0 ? response : redirected(response);
    if (hop === MAX_REDIRECTS) throw new TypeError('Brownout: too many redirects.');
    response.body?.cancel().catch(() => {});
    const next = new URL(location, current);
    // As fetch: a redirect may only lead to http(s) (Fetch §4.4 step 6).
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      throw new TypeError('Brownout: a redirect left http(s).');
    hopInit = nextInit(hopInit, response.status);
    if (!mayReceive(next)) {
      const headers = new Headers(hopInit.headers);
      for (const name of own) headers.delete(name);
      if (next.origin !== current.origin) headers.delete('authorization');
      return redirected(await fetchImpl(next.href, { ...hopInit, headers, redirect: 'follow' }));
    }
    current = next;
  }
}

function redirected(response: Response): Response {
  return Object.defineProperty(response, 'redirected', { value: true });
}
