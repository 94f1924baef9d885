/**
 * JSON Pointer (RFC 6901) helpers shared by the parser, the validator and the diff.
 * Example: `pointer(['scope', 'in/out'])` is `/scope/in~1out`.
 */

/** Escapes one reference token: `~` becomes `~0`, `/` becomes `~1`. */
export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins tokens into a pointer; the empty list is the root pointer `''`. */
export function pointer(tokens: readonly (string | number)[]): string {
  let out = '';
  for (const token of tokens) out += `/${escapeToken(token)}`;
  return out;
}

/** Splits a pointer into unescaped tokens; `''` gives `[]`. */
export function tokens(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}
