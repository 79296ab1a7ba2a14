/** What went wrong, in the categories callers branch on. */
export type ErrorKind =
  | 'timeout'
  | 'network'
  | 'http'
  | 'breaker-open'
  | 'budget-exhausted'
  | 'aborted'
  | 'parse'
  | 'queue-full';

/** RFC 9457 problem details: the standard members plus extensions. */
export interface ProblemDetails {
  /** A URI reference naming the problem type; `about:blank` when the server gave none. Never dereferenced. */
  readonly type: string;
  /** A short human-readable summary; the status phrase when the server gave none. */
  readonly title: string;
  /** The HTTP status of the response that failed (the real one, not the body's `status` member). */
  readonly status?: number;
  /** A human-readable explanation specific to this occurrence. Server text: render it as text, never HTML. */
  readonly detail?: string;
  /** A URI reference for this occurrence. */
  readonly instance?: string;
}

/** What makes a {@link BrownoutError}. */
export interface BrownoutErrorInit
  extends Partial<{ -readonly [K in keyof ProblemDetails]: ProblemDetails[K] }> {
  kind: ErrorKind;
  code: string;
  message: string;
  retriable?: boolean;
  dependency?: string;
  correlationId?: string;
  attempts?: number;
  /** When the dependency may be tried again (epoch ms), if known. */
  retryAt?: number;
  /** Members of the problem body Brownout does not know: kept, never acted on. */
  extensions?: Readonly<Record<string, unknown>>;
  /** The failing part can be hidden: the dependency's reads fall back to `partial`. */
  partial?: boolean;
  cause?: unknown;
}

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  425: 'Too Early',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The standard phrase for an HTTP status ("Service Unavailable"), or a generic one. */
export const statusTitle = (status: number): string =>
  STATUS_TITLES[status] ?? (status >= 500 ? 'Server Error' : status >= 400 ? 'Client Error' : 'HTTP Error');

/**
 * The one error every Brownout failure reaches the caller as. It carries RFC 9457 problem details
 * (`type`, `title`, `status`, `detail`, `instance`, extensions) plus what a caller needs to decide:
 * `kind`, a machine-readable `code`, whether it is `retriable`, the `dependency`, the `correlationId`
 * (the W3C trace id sent with the request), how many `attempts` were made, and the underlying `cause`.
 * @example
 * try { await client.fetch('pricing', '/api/prices') }
 * catch (e) { if (isBrownoutError(e) && e.kind === 'timeout') showStale(); }
 */
export class BrownoutError extends Error implements ProblemDetails {
  override readonly name = 'BrownoutError';
  readonly kind: ErrorKind;
  readonly code: string;
  readonly type: string;
  readonly title: string;
  readonly status?: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly retriable: boolean;
  readonly dependency?: string;
  readonly correlationId?: string;
  readonly attempts: number;
  readonly retryAt?: number;
  /** True when the failing part can be hidden (the dependency's `reads: 'partial'`). */
  readonly partial: boolean;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(init: BrownoutErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.code = init.code;
    this.type = init.type ?? 'about:blank';
    this.title = init.title ?? (init.status ? statusTitle(init.status) : init.message);
    if (init.status !== undefined) this.status = init.status;
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.instance !== undefined) this.instance = init.instance;
    this.retriable = init.retriable ?? false;
    if (init.dependency !== undefined) this.dependency = init.dependency;
    if (init.correlationId !== undefined) this.correlationId = init.correlationId;
    this.attempts = init.attempts ?? 0;
    if (init.retryAt !== undefined) this.retryAt = init.retryAt;
    this.partial = init.partial ?? false;
    this.extensions = Object.freeze(Object.assign(Object.create(null), init.extensions));
  }

  /** A copy with call-level facts (attempts, dependency, correlation id) filled in. */
  with(patch: Partial<BrownoutErrorInit>): BrownoutError {
    return new BrownoutError({ ...this.toInit(), ...patch });
  }

  /** The problem details as plain JSON (`application/problem+json` shape plus Brownout's members). */
  toJSON(): Record<string, unknown> {
    const { cause: _cause, message: _message, extensions, ...rest } = this.toInit();
    return { ...extensions, ...rest };
  }

  private toInit(): BrownoutErrorInit {
    const init: BrownoutErrorInit = {
      kind: this.kind,
      code: this.code,
      message: this.message,
      type: this.type,
      title: this.title,
      retriable: this.retriable,
      attempts: this.attempts,
      partial: this.partial,
      extensions: this.extensions,
    };
    if (this.status !== undefined) init.status = this.status;
    if (this.detail !== undefined) init.detail = this.detail;
    if (this.instance !== undefined) init.instance = this.instance;
    if (this.dependency !== undefined) init.dependency = this.dependency;
    if (this.correlationId !== undefined) init.correlationId = this.correlationId;
    if (this.retryAt !== undefined) init.retryAt = this.retryAt;
    if (this.cause !== undefined) init.cause = this.cause;
    return init;
  }
}

/** The codes of each kind (`ErrorCode` of `errors.ts`, by kind). */
interface CodesByKind {
  timeout: 'timeout.headers' | 'timeout.body' | 'timeout.total';
  network: 'network' | 'network.offline' | 'network.body';
  http: `http.${number}`;
  'breaker-open': 'breaker.open' | 'breaker.held' | 'breaker.probing';
  'budget-exhausted': 'budget.exhausted';
  aborted: 'aborted' | 'aborted.disposed';
  parse: 'parse.json';
  'queue-full': 'queue.full' | 'outbox.unknown-dependency';
}

/** Every `code` a BrownoutError made by Brownout carries. */
export type ErrorCode = CodesByKind[ErrorKind];

/**
 * A {@link BrownoutError} of one kind, with the fields that kind has: an `http` error has a `status: number`
 * and a code `http.<status>`; every kind's `code` is its literal union.
 */
export type BrownoutErrorOf<K extends ErrorKind> = BrownoutError & {
  readonly kind: K;
  readonly code: CodesByKind[K];
} & (K extends 'http' ? { readonly status: number } : unknown);

/**
 * A Brownout error as a union by `kind`, which `if (e.kind === 'http')` narrows (what
 * {@link isBrownoutError} gives).
 * @example
 * if (isBrownoutError(e) && e.kind === 'http') e.status; // number
 */
export type AnyBrownoutError = { [K in ErrorKind]: BrownoutErrorOf<K> }[ErrorKind];

/** True when `value` is a {@link BrownoutError} (also across bundle copies, by shape). */
export function isBrownoutError(value: unknown): value is AnyBrownoutError {
  return (
    value instanceof BrownoutError ||
    (value instanceof Error &&
      value.name === 'BrownoutError' &&
      typeof (value as { kind?: unknown }).kind === 'string' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
