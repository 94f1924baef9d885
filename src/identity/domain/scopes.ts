/**
 * What an API token may be used for, beside what its user's role allows. Every route names the
 * one scope it needs (`config.scope`); a web session carries every scope.
 * - `read`: every GET;
 * - `lifecycle`: act on handoffs (create, edit, submit, ask, answer, accept, reject, move) and
 *   their checkpoints and milestones;
 * - `records`: accounts, contacts, engagements, promises, scope items, the success ladder;
 * - `admin`: users, teams, tokens, playbooks, settings and the audit log.
 */
export const TOKEN_SCOPES = ['read', 'lifecycle', 'records', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
