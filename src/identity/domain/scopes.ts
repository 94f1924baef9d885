import type { ErrorDetail } from '../../kernel/errors.js';

/**
 * What an API token may be used for, beside what its user's role allows. Every route names the
 * one scope it needs (`config.scope`); a web session carries every scope.
 * - `read`: every GET (and the requests that change nothing: validating a playbook, signing out);
 * - `lifecycle`: act on handoffs (create, edit, submit, ask, answer, accept, reject, move) and
 *   their checkpoints and milestones;
 * - `records`: accounts, contacts, engagements, promises, scope items, the success ladder;
 * - `admin`: change users, teams, tokens, passwords, playbooks and settings.
 */
export const TOKEN_SCOPES = ['read', 'lifecycle', 'records', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export function isTokenScope(value: string): value is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}

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
