import { cryptoRandomBytes } from './random.js';

const hex = (bytes: Uint8Array): string => {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
};

/** Random lowercase hex of `bytes` bytes from the crypto generator, never all zeros. */
export function randomHex(bytes: number): string {
  for (;;) {
    const value = hex(cryptoRandomBytes(new Uint8Array(bytes)));
    if (/[^0]/.test(value)) return value;
  }
}

/**
 * A new idempotency key: `crypto.randomUUID()`, or a v4 UUID from `getRandomValues` where
 * `randomUUID` is missing (insecure contexts, older runtimes). Never `Math.random`.
 */
export function createIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = cryptoRandomBytes(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
