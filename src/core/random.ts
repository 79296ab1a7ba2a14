/** A source of uniform numbers in `[0, 1)`, injectable so that jitter is reproducible in tests. */
export type Random = () => number;

/**
 * One draw of `random`, kept in `[0, 1)`: a broken source (NaN, 7, -1) gives 0, so no wait derived from it
 * can become non-finite, negative or longer than its ceiling.
 */
export const drawUnit = (random: Random): number => {
  const r = random();
  return r >= 0 && r < 1 ? r : 0;
};

/** The platform's `Math.random`, looked up at call time. Used for jitter only, never for keys or ids. */
export const systemRandom: Random = () => Math.random();

/**
 * A seeded generator (mulberry32): the same seed gives the same sequence, for tests, simulations and
 * the chaos kit.
 */
export function createSeededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills `bytes` from the platform's cryptographic generator. Throws when there is none. */
export function cryptoRandomBytes(bytes: Uint8Array): Uint8Array {
  const c = globalThis.crypto;
  if (!c?.getRandomValues) {
    throw new TypeError('Brownout needs crypto.getRandomValues for trace ids and idempotency keys.');
  }
  return c.getRandomValues(bytes);
}
