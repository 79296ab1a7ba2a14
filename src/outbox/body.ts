/** A request body as stored in the outbox: plain data, frozen when the write was queued. */
export type FrozenBody =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array; readonly type: string }
  | { readonly kind: 'form'; readonly fields: readonly (readonly [string, string])[] }
  | { readonly kind: 'params'; readonly text: string };

/**
 * Freezes a body for the outbox. Supported: strings (JSON included), `URLSearchParams`, `ArrayBuffer` and
 * typed arrays, `Blob`, and `FormData` without files. Streams and files are refused with a `TypeError` at
 * enqueue time: a queued write must be replayable byte for byte, and a file may be gone after a reload.
 */
export async function freezeBody(body: BodyInit | null | undefined): Promise<FrozenBody | null> {
  if (body == null) return null;
  if (typeof body === 'string') return { kind: 'text', text: body };
  if (body instanceof URLSearchParams) return { kind: 'params', text: body.toString() };
  if (body instanceof ArrayBuffer) return { kind: 'bytes', bytes: new Uint8Array(body.slice(0)), type: '' };
  if (ArrayBuffer.isView(body)) {
    const view = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return { kind: 'bytes', bytes: view.slice(), type: '' };
  }
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    const fields: [string, string][] = [];
    for (const [name, value] of body) {
      if (typeof value !== 'string') {
        throw new TypeError(
          `Brownout outbox: FormData field "${name}" is a file; queued writes support text fields only (upload files when the dependency is up).`,
        );
      }
      fields.push([name, value]);
    }
    return { kind: 'form', fields };
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    return { kind: 'bytes', bytes: new Uint8Array(await body.arrayBuffer()), type: body.type };
  }
  throw new TypeError(
    'Brownout outbox: this body cannot be queued (streams are not replayable). Use a string, JSON, URLSearchParams, ArrayBuffer, Blob, or FormData without files.',
  );
}

/** The body to send for a frozen one. */
export function thawBody(body: FrozenBody | null): BodyInit | null {
  if (!body) return null;
  switch (body.kind) {
    case 'text':
      return body.text;
    case 'params':
      return new URLSearchParams(body.text);
    case 'bytes':
      return body.type
        ? new Blob([body.bytes as BlobPart], { type: body.type })
        : (body.bytes.slice() as BodyInit);
    case 'form': {
      const form = new FormData();
      for (const [k, v] of body.fields) form.append(k, v);
      return form;
    }
  }
}
