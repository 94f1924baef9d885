import { AppError } from './errors.js';

/**
 * Who is acting and what they may do: the vocabulary every folder shares (the kernel's HTTP
 * assembly checks a token's scope, the audit log and every feature check a role's capability).
 * Who the people are, and how a request proves it, is identity's (`src/identity/`): it stores
 * users, teams, tokens and sessions, and the composition root hands its authentication to
 * `buildApp`.
 */

/** The roles a user can hold in an organisation. */
export const ROLES = ['admin', 'sales', 'operations', 'service', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * What an API token may be used for, beside what its user's role allows. Every route names the
 * one scope it needs (`config.scope`); a web session carries every scope.
 * - `read`: every GET (and the requests that change nothing: validating a playbook, signing out;
 *   or nothing anyone else sees: marking one's own notifications read);
 * - `lifecycle`: act on handoffs (create, edit, submit, ask, answer, accept, reject, move) and
 *   their checkpoints and milestones;
 * - `records`: accounts, contacts, engagements, promises, scope items, the success ladder, vault
 *   entries (and revealing a vault secret, for a role that may);
 * - `admin`: change users, teams, tokens, passwords, playbooks and settings.
 */
export const TOKEN_SCOPES = ['read', 'lifecycle', 'records', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export function isTokenScope(value: string): value is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}

/**
 * Who is acting: a user of one organisation, with their role and team memberships, and the
 * scopes of the credential used (every scope for a web session).
 */
export interface Principal {
  orgId: string;
  userId: string;
  email: string;
  role: Role;
  teamIds: readonly string[];
  scopes: readonly TokenScope[];
}

/** Things a role may do, independent of team membership. */
export const CAPABILITIES = [
  'read',
  'write_records',
  'act_on_handoffs',
  'manage_identity',
  'manage_playbooks',
  'reveal_secrets',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

const GRANTS: Record<Role, readonly Capability[]> = {
  admin: [
    'read',
    'write_records',
    'act_on_handoffs',
    'manage_identity',
    'manage_playbooks',
    'reveal_secrets',
  ],
  sales: ['read', 'write_records', 'act_on_handoffs'],
  // Who runs and services the delivered systems may read their credentials (decision 0011-vault).
  operations: ['read', 'write_records', 'act_on_handoffs', 'reveal_secrets'],
  service: ['read', 'write_records', 'act_on_handoffs', 'reveal_secrets'],
  viewer: ['read'],
};

/**
 * The token scope the routes that use a capability need (`config.scope`): reading needs `read`,
 * changing records `records`, acting on handoffs `lifecycle`, and managing people, settings and
 * playbooks `admin`. (The admin pages' reads, such as the audit log, need only `read`; a token
 * without `admin` may read them but lists no `manage_identity`, since it can change nothing there.)
 */
const SCOPE_OF: Record<Capability, TokenScope> = {
  read: 'read',
  write_records: 'records',
  act_on_handoffs: 'lifecycle',
  manage_identity: 'admin',
  manage_playbooks: 'admin',
  // Revealing a vault secret is reading a record with a stated reason, audited: the `records`
  // scope, not a scope of its own (decision 0011-vault says why).
  reveal_secrets: 'records',
};

/**
 * What the caller may do with the credential used: the capabilities their role grants whose
 * scope the credential holds, in the order of CAPABILITIES. A web session holds every scope, so
 * it gets the role's capabilities; `/me` and the session answer this list, and the web UI shows a
 * control only when it is in it.
 *
 * @example
 * capabilitiesOf({ role: 'sales', scopes: ['read', 'records'] }) // ['read', 'write_records']
 */
export function capabilitiesOf(principal: Pick<Principal, 'role' | 'scopes'>): Capability[] {
  return CAPABILITIES.filter((c) => can(principal, c) && principal.scopes.includes(SCOPE_OF[c]));
}

/** Whether the role grants the capability: `can({ role: 'viewer' }, 'read')` is true. */
export function can(principal: Pick<Principal, 'role'>, capability: Capability): boolean {
  return GRANTS[principal.role].includes(capability);
}

/**
 * Throws `forbidden` unless the principal's role grants the capability. `action` completes "may
 * not …" and names what the caller tried, so the refusal says what was refused and by which role:
 * `requireCapability(principal, 'manage_identity', 'read the audit log')` refuses a sales user
 * with "The sales role may not read the audit log."
 */
export function requireCapability(principal: Principal, capability: Capability, action: string): void {
  if (!can(principal, capability)) {
    throw new AppError('forbidden', `The ${principal.role} role may not ${action}.`);
  }
}
