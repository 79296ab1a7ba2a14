import { delay, HttpResponse, type Path } from 'msw';
import { type ChaosOptions, route, seeded } from './shared.js';

/** Options of {@link htmlErrorPage}. */
export interface HtmlErrorPageOptions extends ChaosOptions {
  /** @default 502 */
  status?: number;
}

/**
 * A proxy's HTML error page instead of the API's JSON: what a load balancer sends when the app behind it
 * is down.
 * @example
 * server.use(htmlErrorPage('/api/prices'));
 */
export function htmlErrorPage(path: Path, options: HtmlErrorPageOptions = {}) {
  const status = options.status ?? 502;
  return route(
    path,
    options.method,
    () =>
      new Response(
        `<!doctype html><html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>`,
        { status, headers: { 'content-type': 'text/html' } },
      ),
  );
}

/** Options of {@link stalledBody}. */
export interface StalledBodyOptions extends ChaosOptions {
  /** What is sent before the stall. @default '{"items":[' */
  firstChunk?: string;
  /** @default 200 */
  status?: number;
}

/**
 * Sends the headers and a first chunk, then never sends another byte nor ends: the read timeout's case.
 * @example
 * server.use(stalledBody('/api/prices'));
 */
export function stalledBody(path: Path, options: StalledBodyOptions = {}) {
  return route(path, options.method, () => {
    const chunk = new TextEncoder().encode(options.firstChunk ?? '{"items":[');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
      },
    });
    return new Response(body, {
      status: options.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  });
}

/** Options of {@link latency}. */
export interface LatencyOptions extends ChaosOptions {
  /** Seed for a random delay between `ms` and `maxMs`. @default 1 */
  seed?: number;
  /** With it, each delay is drawn uniformly in [ms, maxMs] from the seed. */
  maxMs?: number;
  /** What to answer after the delay; without it the request passes through to the next handler. */
  respond?: () => Response;
}

/**
 * Adds `ms` of latency (or a seeded random latency up to `maxMs`) to calls of `path`.
 * @example
 * server.use(latency('/api/reviews', 2_000, { respond: () => Response.json([]) }));
 */
export function latency(path: Path, ms: number, options: LatencyOptions = {}) {
  const random = seeded(options.seed ?? 1);
  return route(path, options.method, async () => {
    const wait = options.maxMs === undefined ? ms : ms + random() * (options.maxMs - ms);
    await delay(wait);
    return options.respond ? options.respond() : undefined;
  });
}

/** Options of {@link flaky}. */
export interface FlakyOptions extends ChaosOptions {
  /** Share of calls that fail, 0–1. */
  failureRate: number;
  /** Seed, so the same calls fail on every run. @default 1 */
  seed?: number;
  /** The failure's status, or a network error. @default 503 */
  failWith?: number | 'network-error';
  /** What a successful call answers; without it the request passes through. */
  respond?: () => Response;
}

/**
 * Fails a seeded share of calls to `path`: the same calls fail on every run with the same seed.
 * @example
 * server.use(flaky('/api/prices', { failureRate: 0.3, seed: 7, respond: () => Response.json(prices) }));
 */
export function flaky(path: Path, options: FlakyOptions) {
  if (!(options.failureRate >= 0 && options.failureRate <= 1)) {
    throw new RangeError(`flaky: failureRate must be between 0 and 1, got ${options.failureRate}.`);
  }
  const random = seeded(options.seed ?? 1);
  return route(path, options.method, () => {
    if (random() < options.failureRate) {
      return options.failWith === 'network-error'
        ? HttpResponse.error()
        : new Response(null, { status: options.failWith ?? 503 });
    }
    return options.respond ? options.respond() : undefined;
  });
}
