import type { TokenScope } from './scopes.js';

/** The roles a user can hold in an organisation. */
export const ROLES = ['admin', 'sales', 'operations', 'service', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
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
export type Capability =
  | 'read'
  | 'write_records'
  | 'act_on_handoffs'
  | 'manage_identity'
  | 'manage_playbooks';

const GRANTS: Record<Role, readonly Capability[]> = {
  admin: ['read', 'write_records', 'act_on_handoffs', 'manage_identity', 'manage_playbooks'],
  sales: ['read', 'write_records', 'act_on_handoffs'],
  operations: ['read', 'write_records', 'act_on_handoffs'],
  service: ['read', 'write_records', 'act_on_handoffs'],
  viewer: ['read'],
};

export function can(principal: Pick<Principal, 'role'>, capability: Capability): boolean {
  return GRANTS[principal.role].includes(capability);
}
