import { createIdempotencyKey, randomHex } from '../../src/core/ids.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomHex', () => {
  test('gives lowercase hex, two digits per byte', () => {
    for (const bytes of [1, 8, 16]) expect(randomHex(bytes)).toMatch(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
  });

  test('is never all zeros: a zero draw is drawn again', () => {
    let calls = 0;
    const real = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(((array: Uint8Array) => {
      calls++;
      return calls === 1 ? array.fill(0) : real(array);
    }) as typeof crypto.getRandomValues);
    try {
      // Bytes are handed out from a pool: draw enough to refill it (with zeros, then for real).
      const values = Array.from({ length: 64 }, () => randomHex(8));
      expect(calls).toBeGreaterThanOrEqual(2);
      for (const value of values) expect(value).not.toMatch(/^0+$/);
    } finally {
      spy.mockRestore();
    }
  });

  test('draws from the crypto generator in pools, not once per id (each call costs microseconds)', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      const ids = new Set(Array.from({ length: 100 }, () => randomHex(16)));
      expect(ids.size).toBe(100);
      expect(spy.mock.calls.length).toBeGreaterThan(0);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(8);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('createIdempotencyKey', () => {
  test('makes v4 UUIDs, all different', () => {
    const keys = new Set(Array.from({ length: 1_000 }, createIdempotencyKey));
    expect(keys.size).toBe(1_000);
    for (const key of keys) expect(key).toMatch(UUID_V4);
  });

  test('never uses Math.random', () => {
    const spy = vi.spyOn(Math, 'random');
    try {
      createIdempotencyKey();
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test('without crypto.randomUUID (insecure contexts), a v4 UUID comes from getRandomValues', () => {
    const original = globalThis.crypto.randomUUID;
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
    const spy = vi.spyOn(Math, 'random');
    try {
      const keys = new Set(Array.from({ length: 100 }, createIdempotencyKey));
      expect(keys.size).toBe(100);
      for (const key of keys) expect(key).toMatch(UUID_V4);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: original, configurable: true });
    }
  });
});
