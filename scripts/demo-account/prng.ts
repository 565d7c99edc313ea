/**
 * A small seeded PRNG (mulberry32) and the random helpers the demo generator needs.
 * Everything random in the demo account goes through one of these, so a given seed
 * always produces the same account.
 */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62_CODES = Array.from(BASE62, (ch) => ch.charCodeAt(0));
const HEX_CODES = Array.from('0123456789ABCDEF', (ch) => ch.charCodeAt(0));

export class Rng {
  private readonly source: () => number;

  constructor(seed: number) {
    this.source = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.source();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.source() * (max - min + 1));
  }

  /** Integer in [min, max). */
  between(min: number, max: number): number {
    if (max <= min) return min;
    return min + Math.floor(this.source() * (max - min));
  }

  chance(p: number): boolean {
    return this.source() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.source() * items.length)] as T;
  }

  /** Fisher-Yates, in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.source() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** Random base-62 characters; one PRNG draw yields five characters (62^5 < 2^32). */
  base62(length: number): string {
    const codes = new Array<number>(length);
    this.base62Codes(codes, 0);
    return String.fromCharCode.apply(null, codes);
  }

  /** Fills `codes[from..]` with random base-62 character codes. */
  base62Codes(codes: number[], from: number): void {
    let word = 0;
    for (let i = from, k = 0; i < codes.length; i++, k++) {
      if (k % 5 === 0) word = Math.floor(this.source() * 916_132_832); // 62^5
      codes[i] = BASE62_CODES[word % 62] as number;
      word = Math.floor(word / 62);
    }
  }

  hexUpper(length: number): string {
    const codes = new Array<number>(length);
    for (let i = 0; i < length; i++) codes[i] = HEX_CODES[Math.floor(this.source() * 16)] as number;
    return String.fromCharCode.apply(null, codes);
  }
}

/**
 * Stripe-looking object ids (`sub_1Q...`, `prod_N...`). Random ids carry 14 or 23 random
 * base-62 characters (10^25 or more values), so they are not tracked here: keeping a set
 * of a million ids would cost more than the rest of a 100,000-subscription account, and
 * the invariant check (check.ts) verifies uniqueness of every id anyway. Readable ids
 * (catalog ids, coupon codes) are registered and must be unique.
 */
export class IdFactory {
  private readonly reserved = new Set<string>();

  constructor(private readonly rng: Rng) {}

  /**
   * Long ids (24 characters after the prefix) start with `1` like Stripe's newer ids.
   * Built from character codes in one go, so the result is a flat string: ids built by
   * concatenation are ropes that every later Set lookup or comparison has to flatten.
   */
  make(prefix: string, length: 14 | 24 = 24): string {
    const codes = new Array<number>(prefix.length + 1 + length);
    let at = 0;
    for (let i = 0; i < prefix.length; i++) codes[at++] = prefix.charCodeAt(i);
    codes[at++] = 95; // '_'
    if (length === 24) codes[at++] = 49; // '1'
    this.rng.base62Codes(codes, at);
    return String.fromCharCode.apply(null, codes);
  }

  reserve(id: string): string {
    if (this.reserved.has(id)) throw new Error(`duplicate id ${id}`);
    this.reserved.add(id);
    return id;
  }
}
