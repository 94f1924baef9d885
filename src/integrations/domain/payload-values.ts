/** Reading vendors' JSON: an object, and an id (non-blank text up to 200 characters, or a finite number) as text. */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const idOf = (v: unknown): string | undefined =>
  (typeof v === 'string' && v.trim() && v.length <= 200) || (typeof v === 'number' && Number.isFinite(v))
    ? String(v).trim()
    : undefined;
