/**
 * JSON with object keys sorted at every depth, so equal values always serialise to equal text.
 * The audit chain hashes this form. The text is exactly `JSON.stringify` of a copy of `value`
 * whose objects have their keys sorted (dates and other values with `toJSON` at the top of an
 * array or property are turned by it, as `JSON.stringify` does; undefined, functions and symbols
 * are left out of objects and are `null` in arrays). Written out directly, without the copy.
 *
 * "Sorted" is as a JavaScript object holds keys inserted in sorted order: keys that are array
 * indices ("0", "17") first, in numeric order, then the others in code-unit order. Hashes already
 * in audit chains were computed over that order, so it stays.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? (undefined as unknown as string);
}

// Characters JSON.stringify escapes in a string: quote, backslash, controls, lone surrogates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it finds
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const quote = (text: string) => (NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`);

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return JSON.stringify(value);
  }
  if (value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i ? ',' : ''}${write(value[i]) ?? 'null'}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record);
  let out = '{';
  let first = true;
  for (const key of keys) {
    // The sorted copy this replaces could not hold an own "__proto__" (assigning it sets the
    // copy's prototype), so such a key was never written; hashes depend on that staying so.
    if (key === '__proto__') continue;
    const text = write(record[key]);
    if (text === undefined) continue;
    out += `${first ? '' : ','}${quote(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
const isArrayIndex = (key: string) => ARRAY_INDEX.test(key) && Number(key) < 4_294_967_295;

/** Array-index keys first (an object lists them first, in numeric order), then the rest sorted. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  let indices = 0;
  while (indices < keys.length && isArrayIndex(keys[indices]!)) indices++;
  if (indices === 0) return keys.sort();
  return keys.slice(0, indices).concat(keys.slice(indices).sort());
}
