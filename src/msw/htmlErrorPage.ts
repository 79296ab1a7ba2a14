import type { HttpHandler, Path } from 'msw';
import { reasonPhrase } from './reasonPhrase.js';
import { type ChaosOptions, route } from './route.js';

/**
 * Options of {@link htmlErrorPage}.
 * @example
 * const options: HtmlErrorPageOptions = { status: 504 };
 */
export interface HtmlErrorPageOptions extends ChaosOptions {
  /** @default 502 */
  status?: number;
}

/**
 * A proxy's HTML error page (`text/html`, nginx style) instead of the API's JSON: what a load balancer
 * sends when the app behind it is down. A client must turn it into a clean error, never show the HTML.
 * @example
 * server.use(htmlErrorPage('https://api.test/prices'));            // 502 Bad Gateway
 * server.use(htmlErrorPage('/api/prices', { status: 504 }));       // 504 Gateway Timeout
 */
export function htmlErrorPage(path: Path, options: HtmlErrorPageOptions = {}): HttpHandler {
  const status = options.status ?? 502;
  const heading = `${status} ${reasonPhrase(status)}`;
  const page =
    `<!DOCTYPE html>\n<html>\n<head><title>${heading}</title></head>\n<body>\n` +
    `<center><h1>${heading}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
  return route(
    path,
    options.method,
    () => new Response(page, { status, headers: { 'content-type': 'text/html; charset=utf-8' } }),
  );
}
