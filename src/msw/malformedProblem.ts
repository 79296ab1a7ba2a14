import type { HttpHandler, Path } from 'msw';
import { checkStatus } from './checkStatus.js';
import { type ChaosOptions, type ChaosResolver, route } from './route.js';

/**
 * Which broken problem body {@link malformedProblem} sends:
 * - `'truncated'`: JSON cut off mid-string (`{"type":"about:blank","title":"Bad`), a dropped connection;
 * - `'not-json'`: plain text under a JSON content type, as some proxies send;
 * - `'empty'`: no body at all;
 * - `'huge'`: valid JSON whose `title` is 1 MiB long, for clients that show titles unbounded;
 * - `'proto'`: valid JSON with `__proto__` and `constructor.prototype` keys, for clients that merge
 *   parsed bodies into objects (prototype pollution);
 * - `'wrong-types'`: valid JSON whose members have the wrong types (`status: "500"`, `title: {…}`),
 *   which RFC 9457 §3.1 says consumers must ignore.
 * @example
 * const kind: MalformedProblemKind = 'proto';
 */
export type MalformedProblemKind = 'truncated' | 'not-json' | 'empty' | 'huge' | 'proto' | 'wrong-types';

/**
 * Options of {@link malformedProblem}.
 * @example
 * const options: MalformedProblemOptions = { status: 503, kind: 'huge' };
 */
export interface MalformedProblemOptions extends ChaosOptions {
  /** @default 500 */
  status?: number;
  /** The broken body sent. @default 'truncated' */
  kind?: MalformedProblemKind;
  /** A body of your own, sent exactly as given (it wins over `kind`). */
  body?: string;
  /** @default 'application/problem+json' */
  contentType?: string;
}

const HUGE_TITLE_LENGTH = 1024 * 1024;

const BODIES: Readonly<Record<MalformedProblemKind, (status: number) => string>> = {
  truncated: () => '{"type":"about:blank","title":"Bad',
  'not-json': () => 'upstream connect error or disconnect/reset before headers',
  empty: () => '',
  huge: (status) => `{"type":"about:blank","title":"${'A'.repeat(HUGE_TITLE_LENGTH)}","status":${status}}`,
  // Written as text: an object literal's `__proto__` would set the prototype, not send the key.
  proto: (status) =>
    `{"type":"about:blank","title":"Polluted","status":${status},"__proto__":{"polluted":true},` +
    '"constructor":{"prototype":{"polluted":true}}}',
  'wrong-types': () => '{"type":42,"title":{"text":"Bad"},"status":"500","detail":["a","b"],"instance":null}',
};

/**
 * What {@link malformedProblem} answers, as a resolver (internal: `createChaos` reuses it).
 * @example
 * const broken = malformedProblemResolver({ kind: 'not-json' });
 */
export function malformedProblemResolver(
  options: MalformedProblemOptions = {},
  where = 'malformedProblem',
): ChaosResolver {
  const status = checkStatus(options.status ?? 500, where);
  const kind = options.kind ?? 'truncated';
  if (!Object.hasOwn(BODIES, kind)) {
    throw new RangeError(`${where}: kind must be one of ${Object.keys(BODIES).join(', ')}; got ${kind}.`);
  }
  const body = options.body ?? BODIES[kind](status);
  const contentType = options.contentType ?? 'application/problem+json';
  return () => new Response(body, { status, headers: { 'content-type': contentType } });
}

/**
 * Every call to `path` fails with a body that claims to be `application/problem+json` but is not a
 * usable problem: cut-off JSON by default, or a hostile one (`kind`). A client must still raise its own
 * clean error — status kept, no parse error escaping, nothing polluted, no megabyte title on screen.
 * @example
 * server.use(malformedProblem('/api/prices'));                           // 500, '{"type":"about:blank","title":"Bad'
 * server.use(malformedProblem('/api/prices', { status: 503, kind: 'proto' }));
 * server.use(malformedProblem('/api/prices', { body: '{"title": 1e999}' }));
 */
export function malformedProblem(path: Path, options: MalformedProblemOptions = {}): HttpHandler {
  return route('malformedProblem', path, options, malformedProblemResolver(options));
}
