/**
 * A seeded pseudo-random stream (sfc32, seeded through splitmix32), so `baton seed-demo
 * --handoffs N --seed S` writes the same history every time: the same choices in the same order,
 * the same ids. Not for anything secret.
 */
const HEX = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));

export class SeedRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    let s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One of `items`, each as likely as its weight. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i]!;
      if (r < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }

  /** A log-normal draw with this median; `spread` is the σ of its logarithm. */
  logNormal(median: number, spread: number): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(spread * z);
  }

  /**
   * An id shaped like the product's (a UUID version 7 whose first 48 bits are `ms`), its other bits
   * from this stream: ids of a seeded history sort by when their record was made, like real ones.
   */
  id(ms: number): string {
    const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
    const r1 = this.uint32();
    const r2 = this.uint32();
    const r3 = this.uint32();
    const h = HEX;
    return `${hex.slice(0, 8)}-${hex.slice(8)}-7${h[(r1 >>> 8) & 0xf]![1]}${h[r1 & 0xff]}-${h[0x80 | ((r1 >>> 16) & 0x3f)]}${h[r1 >>> 24]}-${h[r2 & 0xff]}${h[(r2 >>> 8) & 0xff]}${h[(r2 >>> 16) & 0xff]}${h[r2 >>> 24]}${h[r3 & 0xff]}${h[(r3 >>> 8) & 0xff]}`;
  }

  /** 64 hex digits (a made-up SHA-256, e.g. of a portal link's token that nobody holds). */
  hex64(): string {
    let out = '';
    for (let i = 0; i < 8; i++) out += this.uint32().toString(16).padStart(8, '0');
    return out;
  }
}
