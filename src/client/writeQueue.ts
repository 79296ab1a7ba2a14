import {
  type BrownoutClient,
  type BrownoutError,
  type BrownoutRequestInit,
  classify,
  createIdempotencyKey,
  isBrownoutError,
  withBaseUrl,
} from '../core/index.js';
import { freezeBody, type Outbox, thawBody } from '../outbox/index.js';
import { queuedResponse } from './queuedWrites.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Keeps a bounded map: the oldest key goes first. */
function remember(map: Map<string, string>, key: string, value: string): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > 500) map.delete(map.keys().next().value as string);
}

// The one failure model decides what may wait in the outbox: transient failures and refusals, not answers.
const isQueueable = (e: unknown): boolean => classify(e).queueable;

/**
 * The client layer's step in front of the core's pipeline: a write to a `writes: 'queue'` dependency is
 * stored first (write-ahead), sent live when the dependency is up, and left in the outbox (a `202`) when it
 * fails in a way that may wait; an `ifMatch` dependency's reads remember their ETag for the writes after.
 */
export function writeQueueStep<Name extends string>(
  core: BrownoutClient<Name>,
  coreFetch: BrownoutClient<Name>['fetch'],
  outbox: Outbox | undefined,
): (name: Name, input: RequestInfo | URL, init?: BrownoutRequestInit) => Promise<Response> {
  // The ETag of the last read of each URL of an `ifMatch` dependency: its writes are based on it.
  const etags = new Map<string, string>();
  const absolute = (name: Name, url: string): string => {
    // Absolute before it is stored: a replay must not join the base URL a second time ('/api' + '/api/…'),
    // and a reload or another tab replays it from anywhere on the site.
    const joined = withBaseUrl(core.policy(name).baseUrl, url);
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    return base && URL.canParse(joined, base) ? new URL(joined, base).href : joined;
  };

  return async function fetchOrQueue(
    name: Name,
    input: RequestInfo | URL,
    init: BrownoutRequestInit = {},
  ): Promise<Response> {
    const request = input instanceof Request ? input : undefined;
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const policy = core.policy(name);
    if (!outbox || policy.writes !== 'queue' || !WRITE_METHODS.has(method)) {
      const response = await coreFetch(name, input, init);
      const etag = policy.ifMatch && method === 'GET' ? response.headers.get('etag') : null;
      if (etag) remember(etags, absolute(name, request ? request.url : String(input)), etag);
      return response;
    }
    // Frozen before the first try, so an unsupported body fails now, whatever the dependency's health.
    const body = await freezeBody(init.body ?? (request ? await request.clone().arrayBuffer() : null));
    const key = init.idempotencyKey ?? createIdempotencyKey();
    const url = request ? request.url : String(input);
    const fullUrl = absolute(name, url);
    const headers = new Headers(init.headers ?? request?.headers);
    const basedOn = policy.ifMatch ? etags.get(fullUrl) : undefined;
    if (basedOn && !headers.has('if-match')) headers.set('if-match', basedOn);
    const status = core.status(name);
    // Write-ahead: stored before the first attempt, so a tab closed at any instant loses nothing.
    const begun = await outbox.begin({
      dependency: name,
      method,
      url: fullUrl,
      body,
      headers,
      idempotencyKey: key,
      live: core.environment.online() && status.health !== 'down',
      ...(init.orderKey === undefined ? {} : { orderKey: init.orderKey }),
      ...(status.retryAt === undefined ? {} : { notBefore: status.retryAt }),
    });
    if (!begun.sendNow) return queuedResponse(begun);
    let response: Response;
    try {
      response = await coreFetch(name, request ? url : input, {
        ...init,
        method,
        headers,
        body: thawBody(body),
        idempotencyKey: key,
      });
    } catch (error) {
      // The client was disposed mid-send (a reload, a hot update): the write stays stored for the next load.
      if (isBrownoutError(error) && error.code === 'aborted.disposed') throw error;
      if (!isQueueable(error)) {
        await outbox.abandon(begun.entry.id);
        throw error;
      }
      return queuedResponse(await outbox.release(begun.entry.id, error as BrownoutError));
    }
    await outbox.acknowledge(begun.entry.id);
    return response;
  };
}
