import { type BrownoutErrorInit, statusTitle } from './BrownoutError.js';
import { CLIENT_DEFAULTS } from './defaults.js';

/** The most bytes read from an error body: enough for any problem document, never hundreds of MB. */
export const DEFAULT_MAX_ERROR_BODY_BYTES: number = CLIENT_DEFAULTS.maxErrorBodyBytes;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const STANDARD = new Set(['type', 'title', 'status', 'detail', 'instance']);

/**
 * Reads at most `maxBytes` of a body as text, then cancels the rest. A body that errors mid-read gives
 * what arrived so far: an error body must never turn into a second, different error.
 */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  maxBytes = DEFAULT_MAX_ERROR_BODY_BYTES,
): Promise<{ text: string; truncated: boolean }> {
  if (!body) return { text: '', truncated: false };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - size;
      if (value.byteLength > room) {
        text += decoder.decode(value.subarray(0, room), { stream: true });
        truncated = true;
        break;
      }
      size += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    truncated = true;
  } finally {
    if (truncated) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  return { text: text + decoder.decode(), truncated };
}

/**
 * Parses JSON so that it cannot change a prototype later: `__proto__`, `constructor` and `prototype`
 * keys are dropped at every depth (a later merge of the value into another object stays harmless).
 * Throws `SyntaxError` on malformed input.
 */
export function safeJsonParse(text: string): unknown {
  return JSON.parse(text, (key, value) => (FORBIDDEN_KEYS.has(key) ? undefined : value));
}

/** The problem-details members of an HTTP error, from its status and (bounded) body. */
export type ParsedProblem = Pick<
  BrownoutErrorInit,
  'type' | 'title' | 'status' | 'detail' | 'instance' | 'extensions'
>;

const isJsonType = (contentType: string): boolean => /^application\/([\w.+-]+\+)?json\b/i.test(contentType);

/**
 * Turns an error response's status, content type and body text into problem details. Members of the
 * wrong type are ignored as if absent; unknown members are kept as extensions; the body's own
 * `status` member never replaces the real one. HTML pages, empty and truncated bodies give the defaults.
 */
export function parseProblem(status: number, contentType: string | null, text: string): ParsedProblem {
  const problem: ParsedProblem = { type: 'about:blank', title: statusTitle(status), status };
  const looksJson = contentType ? isJsonType(contentType) : /^\s*\{/.test(text);
  if (!looksJson || text.trim() === '') return problem;
  let body: unknown;
  try {
    body = safeJsonParse(text);
  } catch {
    return problem;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return problem;
  const record = body as Record<string, unknown>;
  if (typeof record.type === 'string' && record.type !== '') problem.type = record.type;
  if (typeof record.title === 'string' && record.title !== '') problem.title = record.title;
  if (typeof record.detail === 'string') problem.detail = record.detail;
  if (typeof record.instance === 'string') problem.instance = record.instance;
  const extensions = Object.create(null) as Record<string, unknown>;
  let any = false;
  for (const key of Object.keys(record)) {
    if (!STANDARD.has(key)) {
      extensions[key] = record[key];
      any = true;
    }
  }
  if (any) problem.extensions = extensions;
  return problem;
}
