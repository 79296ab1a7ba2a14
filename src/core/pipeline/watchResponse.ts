import { BrownoutError } from '../BrownoutError.js';
import { abortedError, bodyBrokenError, timeoutError } from '../errors.js';
import { type CachedResponse, markFreshness } from '../ResponseCache.js';
import { concat, readAll, readersKeepingErrors } from '../readers.js';
import { slowWait } from '../slowWait.js';
import { type WatchBodyOptions, type WatchedReader, watchBody, watchReader } from '../watchBody.js';
import { type CallContext, type ClientRuntime, tell } from './context.js';

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
// Headers a cached response keeps: what a reader needs to interpret the body, nothing private.
const KEPT_HEADERS = new Set(['content-type', 'content-language', 'etag', 'last-modified']);
/** The most bytes of one response body kept in the cache. */
const MAX_CACHED_BODY_BYTES = 1024 * 1024;

/**
 * The response the caller gets: its body is policed while read (a stall, the deadline, the caller's abort or
 * the client's disposal fail the read; a stall or a break counts against the breaker), and a cached read's
 * body is kept as it is read and stored once complete, when its freshness is told.
 */
export function watchedResponse(rt: ClientRuntime, ctx: CallContext, response: Response): Response {
  const { clock } = rt;
  const fetchedAt = clock.now();
  const fresh = ctx.cacheReads && response.status >= 200 && response.status < 300;
  const freshness = { key: ctx.cacheKey, source: 'network' as const, fetchedAt };
  // The data's age is the body's: it is fresh when it has all arrived, never on headers alone.
  const told = (at: number): void => {
    if (fresh) tell(rt, ctx, { type: 'fresh', key: ctx.cacheKey, fetchedAt: at });
  };
  if (!response.body || NULL_BODY_STATUSES.has(response.status)) {
    told(fetchedAt);
    return fresh ? markFreshness(response, freshness) : response;
  }
  const attempts = ctx.attempt;
  const bodyFailed = ctx.bodyFailed;
  const controller = ctx.controller;
  // The body counts too (while it is read): a body that stalls after quick headers keeps the user waiting.
  const bodyWaited = slowWait(clock, ctx.dep.slow, ctx.timeouts.slowMs);
  // The body is kept for the cache as the caller reads it: no tee, no second read.
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  const options: WatchBodyOptions = {
    clock,
    idleMs: ctx.timeouts.bodyIdleMs,
    deadline: ctx.deadline,
    signal: ctx.signal,
    stop: rt.disposal.signal,
    onTimeout: (which) => {
      controller?.abort();
      return timeoutError(ctx, which, ctx.timeouts);
    },
    onAbort: (reason) => {
      controller?.abort(reason);
      return abortedError(ctx, reason);
    },
    onError: (cause) => bodyBrokenError(ctx, cause),
    onWait: (pending) => (pending ? bodyWaited.waiting() : bodyWaited.arrived()),
    onChunk: (chunk) => {
      if (!fresh) return;
      keptBytes += chunk.byteLength;
      if (keptBytes <= MAX_CACHED_BODY_BYTES) kept.push(chunk);
    },
    onSettled: (complete, error) => {
      bodyWaited.arrived();
      // A stall or a broken body is a failure of the dependency, like any other (a caller's abort is not).
      const failure = error instanceof BrownoutError ? error : undefined;
      if (failure && (failure.kind === 'timeout' || failure.kind === 'network')) {
        bodyFailed?.(failure.with({ attempts, dependency: ctx.name, correlationId: ctx.correlationId }));
      }
      if (!complete) return;
      const completedAt = clock.now();
      told(completedAt);
      if (!fresh || keptBytes > MAX_CACHED_BODY_BYTES) return;
      const entry: CachedResponse = {
        key: ctx.cacheKey,
        status: response.status,
        headers: [...response.headers].filter(([h]) => KEPT_HEADERS.has(h)),
        body: concat(kept, keptBytes),
        fetchedAt: completedAt,
      };
      Promise.resolve()
        .then(() => rt.cache?.set(entry))
        .catch(() => {});
    },
  };
  lazyBody(response, response.body, options);
  return fresh ? markFreshness(response, freshness) : response;
}

/**
 * Puts the watch on `response` itself, and only when its body is read: `text()`, `json()`, `arrayBuffer()`,
 * `bytes()` and `blob()` read the network stream through a {@link watchReader} (no stream or Response made
 * in between); `body` and `clone()` make the watched stream when first asked. The readers reject with the
 * watch's own error: Chromium's `Response.text()` would turn a stall's error into `Failed to fetch`.
 */
function lazyBody(response: Response, raw: ReadableStream<Uint8Array>, options: WatchBodyOptions): void {
  let stream: ReadableStream<Uint8Array> | undefined;
  let reader: WatchedReader | undefined;
  const getStream = (): ReadableStream<Uint8Array> => {
    if (reader) throw new TypeError('Body has already been consumed.');
    stream ??= watchBody(raw, options);
    return stream;
  };
  const bytes = async (): Promise<Uint8Array> => {
    if (reader || stream?.locked || response.bodyUsed) throw new TypeError('Body has already been consumed.');
    const source: WatchedReader = stream ? stream.getReader() : watchReader(raw, options);
    reader = source;
    return readAll(source);
  };
  const text = async (): Promise<string> => new TextDecoder().decode(await bytes());
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  Object.defineProperties(response, {
    body: { get: getStream, configurable: true },
    bytes: { value: bytes, configurable: true },
    text: { value: text, configurable: true },
    json: { value: async (): Promise<unknown> => JSON.parse(await text()), configurable: true },
    arrayBuffer: {
      value: async (): Promise<ArrayBuffer> => (await bytes()).slice().buffer,
      configurable: true,
    },
    blob: {
      value: async (): Promise<Blob> =>
        new Blob([(await bytes()) as BlobPart], { type: response.headers.get('content-type') ?? '' }),
      configurable: true,
    },
    formData: { value: () => new Response(getStream(), init).formData(), configurable: true },
    clone: {
      value: (): Response => {
        const [mine, theirs] = getStream().tee();
        stream = mine;
        const copy = new Response(theirs, init);
        Object.defineProperties(copy, {
          url: { value: response.url },
          redirected: { value: response.redirected },
          type: { value: response.type },
          ...readersKeepingErrors(copy),
        });
        return copy;
      },
      configurable: true,
    },
  });
}
