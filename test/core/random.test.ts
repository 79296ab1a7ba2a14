import { createSeededRandom, cryptoRandomBytes, systemRandom } from '../../src/core/random.js';

describe('createSeededRandom', () => {
  test('the same seed gives the same sequence, every value in [0, 1)', () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 10_000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(9_990);
  });

  test('different seeds give different sequences', () => {
    const a = createSeededRandom(1);
    const b = createSeededRandom(2);
    expect(Array.from({ length: 5 }, () => a())).not.toEqual(Array.from({ length: 5 }, () => b()));
  });

  test('is spread evenly enough for jitter: ten bins of 10 000 draws each hold about a tenth', () => {
    const random = createSeededRandom(7);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(random() * 10)]!++;
    for (const n of bins) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });
});

describe('systemRandom', () => {
  test('calls Math.random at call time', () => {
    const spy = vi.spyOn(Math, 'random').mockReturnValue(0.25);
    try {
      expect(systemRandom()).toBe(0.25);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('cryptoRandomBytes', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test('fills the array from crypto.getRandomValues', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      const bytes = cryptoRandomBytes(new Uint8Array(32));
      expect(spy).toHaveBeenCalledWith(bytes);
      expect(bytes.some((b) => b !== 0)).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  test('throws a TypeError saying what is missing when there is no crypto generator', () => {
    vi.stubGlobal('crypto', undefined);
    expect(() => cryptoRandomBytes(new Uint8Array(4))).toThrow(
      new TypeError('Brownout needs crypto.getRandomValues for trace ids and idempotency keys.'),
    );
  });
});
