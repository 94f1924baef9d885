import { randomUUID } from 'node:crypto';

let lastMs = -1;
let msHex = '';
let counter = 0;

/**
 * A new record id: a UUID version 7 (RFC 9562). Its first 48 bits are the creation time in
 * milliseconds, the next 12 a counter that keeps the ids one process makes in a millisecond in
 * order, and the remaining 62 random (taken from a version 4 UUID, whose variant bits match).
 * New ids sort after older ones, so a table's primary-key index grows at its right edge instead of
 * at a random page: fewer pages touched per insert, fewer written per commit.
 */
export function newId(now = Date.now()): string {
  if (now > lastMs || now < lastMs - 10_000) {
    // Time moved on, or the clock was set back by more than a moment: ids follow the clock (order
    // across such a step is lost, uniqueness is not: 62 bits are random).
    lastMs = now;
    counter = 0;
    msHex = lastMs.toString(16).padStart(12, '0');
  } else if (++counter > 0xfff) {
    // Over 4,096 ids in one millisecond, or the clock stepped back a little: borrow the next one.
    lastMs++;
    counter = 0;
    msHex = lastMs.toString(16).padStart(12, '0');
  }
  const random = randomUUID();
  return `${msHex.slice(0, 8)}-${msHex.slice(8)}-7${counter.toString(16).padStart(3, '0')}${random.slice(18)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` has the shape of a record id (so a lookup of anything else is a plain 404). */
export function isId(value: string): boolean {
  return UUID.test(value);
}
