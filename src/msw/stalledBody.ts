import type { HttpHandler, Path } from 'msw';
import { checkStatus } from './checkStatus.js';
import { type ChaosOptions, type ChaosResolver, route } from './route.js';

const DEFAULT_BODY = '{"items":[{"id":"tea","price":4.5},{"id":"coffee","price":3.2}]}';

/**
 * Options of {@link stalledBody}.
 * @example
 * const options: StalledBodyOptions = { afterBytes: 0 }; // headers, then nothing at all
 */
export interface StalledBodyOptions extends ChaosOptions {
  /** Bytes of `body` sent (as one chunk) before the stall; `0` sends only the headers. @default 10 */
  afterBytes?: number;
  /** The body the server would have sent. @default a small JSON document */
  body?: string;
  /** @default 200 */
  status?: number;
  /** @default 'application/json' */
  contentType?: string;
}

/**
 * What {@link stalledBody} answers, as a resolver (internal: `createChaos` reuses it).
 * @example
 * const stall = stalledBodyResolver({ afterBytes: 0 });
 */
export function stalledBodyResolver(options: StalledBodyOptions = {}, where = 'stalledBody'): ChaosResolver {
  const afterBytes = options.afterBytes ?? 10;
  if (!Number.isInteger(afterBytes) || afterBytes < 0) {
    throw new RangeError(`${where}: afterBytes must be an integer ≥ 0, got ${afterBytes}.`);
  }
  const status = checkStatus(options.status ?? 200, where);
  const sent = new TextEncoder().encode(options.body ?? DEFAULT_BODY).slice(0, afterBytes);
  return () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // A fresh copy per call: a reader may transfer or detach the chunk it got.
        if (sent.byteLength > 0) controller.enqueue(sent.slice());
        // Never closed: the stall lasts until the reader gives up.
      },
    });
    return new Response(body, {
      status,
      headers: { 'content-type': options.contentType ?? 'application/json' },
    });
  };
}

/**
 * Sends the headers and the first `afterBytes` bytes of the body, then never sends another byte and
 * never ends (a `ReadableStream` that stays open): fetch has no read timeout of its own
 * (whatwg/fetch#180), so this is the case for the client's `bodyIdleMs`.
 * @example
 * server.use(stalledBody('https://api.test/prices', { afterBytes: 10 })); // sends '{"items":[' and stalls
 */
export function stalledBody(path: Path, options: StalledBodyOptions = {}): HttpHandler {
  return route('stalledBody', path, options, stalledBodyResolver(options));
}
