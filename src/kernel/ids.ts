import { randomFillSync } from 'node:crypto';

let lastMs = -1;
let counter = 0;
/** `tttttttt-tttt-7` for the current millisecond. */
let prefix = '';
const COUNTER_HEX = Array.from({ length: 0x1000 }, (_, n) => n.toString(16).padStart(3, '0'));
const BYTE_HEX = Array.from({ length: 0x100 }, (_, n) => n.toString(16).padStart(2, '0'));
/** Random bytes drawn in bulk (one call to the system's generator per thousand ids). */
const pool = new Uint8Array(8 * 1024);
let poolAt = pool.length;

function setMillisecond(ms: number): void {
  lastMs = ms;
  counter = 0;
  const hex = ms.toString(16).padStart(12, '0');
  prefix = `${hex.slice(0, 8)}-${hex.slice(8)}-7`;
}

/**
 * A new record id: a UUID version 7 (RFC 9562). Its first 48 bits are the creation time in
 * milliseconds, the next 12 a counter that keeps the ids one process makes in a millisecond in
 * order, then the variant bits and 62 random bits.
 * New ids sort after older ones, so a table's primary-key index grows at its right edge instead of
 * at a random page: fewer pages touched per insert, fewer written per commit.
 */
export function newId(now = Date.now()): string {
  if (now > lastMs || now < lastMs - 10_000) {
    // Time moved on, or the clock was set back by more than a moment: ids follow the clock (order
    // across such a step is lost, uniqueness is not: 62 bits are random).
    setMillisecond(now);
  } else if (++counter > 0xfff) {
    // Over 4,096 ids in one millisecond, or the clock stepped back a little: borrow the next one.
    setMillisecond(lastMs + 1);
  }
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const b = pool;
  const i = poolAt;
  poolAt += 8;
  const h = BYTE_HEX;
  return `${prefix}${COUNTER_HEX[counter]}-${h[0x80 | (b[i]! & 0x3f)]}${h[b[i + 1]!]}-${h[b[i + 2]!]}${h[b[i + 3]!]}${h[b[i + 4]!]}${h[b[i + 5]!]}${h[b[i + 6]!]}${h[b[i + 7]!]}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` has the shape of a record id (so a lookup of anything else is a plain 404). */
export function isId(value: string): boolean {
  return UUID.test(value);
}

const V7 = /^([0-9a-f]{8})-([0-9a-f]{4})-7/i;

/** When an id made by `newId` was made (its first 48 bits); null for anything else. */
export function idTime(id: string): Date | null {
  const m = V7.exec(id);
  return m ? new Date(Number.parseInt(`${m[1]}${m[2]}`, 16)) : null;
}
