import { parseError } from './errors.js';
import { safeJsonParse } from './problem.js';

/** The chunks as one array of `size` bytes. */
export const concat = (chunks: readonly Uint8Array[], size: number): Uint8Array => {
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
};

/** Reads `reader` to its end, as one array of bytes. */
export async function readAll(reader: {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  return concat(chunks, size);
}

/**
 * Reads a response body as JSON safely: no prototype keys, malformed JSON → a `kind: 'parse'`
 * BrownoutError, an empty body → `undefined`.
 */
export async function readJson<T>(response: Response, dependency: string): Promise<T> {
  const text = await response.text();
  if (text === '') return undefined as T;
  try {
    return safeJsonParse(text) as T;
  } catch (cause) {
    throw parseError({ name: dependency }, response.status, cause);
  }
}

/**
 * Body readers that reject with the stream's own error. Chromium's `Response.text()` turns any stream
 * error into `TypeError: Failed to fetch`, which would hide a `timeout.body` BrownoutError from callers.
 */
export function readersKeepingErrors(response: Response): PropertyDescriptorMap {
  const bytes = async (): Promise<Uint8Array> =>
    response.body ? readAll(response.body.getReader()) : new Uint8Array(0);
  const text = async (): Promise<string> => new TextDecoder().decode(await bytes());
  return {
    bytes: { value: bytes },
    text: { value: text },
    json: { value: async (): Promise<unknown> => JSON.parse(await text()) },
    arrayBuffer: { value: async (): Promise<ArrayBuffer> => (await bytes()).slice().buffer },
    blob: {
      value: async (): Promise<Blob> =>
        new Blob([(await bytes()) as BlobPart], { type: response.headers.get('content-type') ?? '' }),
    },
  };
}
