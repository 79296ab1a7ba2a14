import type { HttpHandler, Path } from 'msw';
import { checkStatus } from './checkStatus.js';
import { reasonPhrase } from './reasonPhrase.js';
import { type ChaosOptions, type ChaosResolver, route } from './route.js';

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
 * What {@link htmlErrorPage} answers, as a resolver (internal: `createChaos` reuses it).
 * @example
 * const badGateway = htmlErrorPageResolver({ status: 502 });
 */
export function htmlErrorPageResolver(
  options: HtmlErrorPageOptions = {},
  where = 'htmlErrorPage',
): ChaosResolver {
  const status = checkStatus(options.status ?? 502, where);
  const heading = `${status} ${reasonPhrase(status)}`;
  const page =
    `<!DOCTYPE html>\n<html>\n<head><title>${heading}</title></head>\n<body>\n` +
    `<center><h1>${heading}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
  return () => new Response(page, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * A proxy's HTML error page (`text/html`, nginx style) instead of the API's JSON: what a load balancer
 * sends when the app behind it is down. A client must turn it into a clean error, never show the HTML.
 * @example
 * server.use(htmlErrorPage('https://api.test/prices'));            // 502 Bad Gateway
 * server.use(htmlErrorPage('/api/prices', { status: 504 }));       // 504 Gateway Timeout
 */
export function htmlErrorPage(path: Path, options: HtmlErrorPageOptions = {}): HttpHandler {
  return route('htmlErrorPage', path, options, htmlErrorPageResolver(options));
}
