import type { ErrorDetail } from '../../kernel/errors.js';
import { isTokenScope, TOKEN_SCOPES, type TokenScope } from '../../kernel/principal.js';

// The scopes themselves are the kernel's (src/kernel/principal.ts): the HTTP assembly checks them.
// Re-exported for the files that import them from identity; new code imports the kernel's.
export { isTokenScope, TOKEN_SCOPES, type TokenScope };

/** Scopes as stored (`api_tokens.scopes`): space-separated, in the order of TOKEN_SCOPES. */
export function formatScopes(scopes: readonly TokenScope[]): string {
  return TOKEN_SCOPES.filter((s) => scopes.includes(s)).join(' ');
}

/** The scopes of a stored list; words that are not scopes are dropped. */
export function parseScopes(stored: string): TokenScope[] {
  const words = stored.split(' ');
  return TOKEN_SCOPES.filter((s) => words.includes(s));
}

/** What is wrong with a list of scopes asked for a token, if anything. */
export function scopeProblems(scopes: readonly string[], path = '/scopes'): ErrorDetail[] {
  if (scopes.length === 0) return [{ path, message: `must name at least one of ${TOKEN_SCOPES.join(', ')}` }];
  return scopes
    .filter((s) => !isTokenScope(s))
    .map((s) => ({ path, message: `${s} is not a scope: use ${TOKEN_SCOPES.join(', ')}` }));
}
