import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { requireCapability } from '../domain/authorize.js';
import { isRole, type Principal, ROLES, type Role } from '../domain/roles.js';
import type { CreatedUser, User } from '../user-schema.js';
import { createUserInTx } from './add-user.js';

/** The organisation's users with their team keys. */
export async function listUsers(deps: Deps, principal: Principal): Promise<User[]> {
  requireCapability(principal, 'read', 'list users');
  const db = deps.store.db;
  const users = await db
    .selectFrom('users')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .orderBy('email')
    .execute();
  const memberships = await db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['team_members.user_id', 'teams.key'])
    .where('team_members.org_id', '=', principal.orgId)
    .execute();
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role as Role,
    teams: memberships
      .filter((m) => m.user_id === u.id)
      .map((m) => m.key)
      .sort(),
    disabled: u.disabled_at !== null,
    created_at: u.created_at,
  }));
}

/** An admin adds a user; the answer carries the user's first API token, shown once. */
export async function inviteUser(
  deps: Deps,
  principal: Principal,
  input: { email: string; name?: string; role: string; teams?: string[] },
): Promise<CreatedUser> {
  requireCapability(principal, 'manage_identity', 'add users');
  return inTransaction(deps, (trx) =>
    createUserInTx(trx, principal.orgId, { type: 'user', id: principal.userId }, deps.clock.now(), {
      email: input.email,
      name: input.name,
      role: input.role,
      teamKeys: input.teams ?? [],
    }),
  );
}

/** An admin changes a user's name, role, teams, or disables the user (which revokes access at once). */
export async function updateUser(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { name?: string; role?: string; teams?: string[]; disabled?: boolean },
): Promise<User> {
  requireCapability(principal, 'manage_identity', 'change users');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const user = isId(id)
      ? await trx
          .selectFrom('users')
          .selectAll()
          .where('org_id', '=', principal.orgId)
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!user) throw new AppError('not_found', `No user ${id}.`);
    const errors: ErrorDetail[] = [];
    if (input.role !== undefined && !isRole(input.role)) {
      errors.push({ path: '/role', message: `must be one of ${ROLES.join(', ')}` });
    }
    if (input.name !== undefined && !input.name.trim())
      errors.push({ path: '/name', message: 'must not be blank' });
    const teams = input.teams?.length
      ? await trx
          .selectFrom('teams')
          .select(['id', 'key'])
          .where('org_id', '=', principal.orgId)
          .where('key', 'in', input.teams)
          .execute()
      : [];
    for (const key of input.teams ?? []) {
      if (!teams.some((t) => t.key === key))
        errors.push({ path: '/teams', message: `no team ${key} in this organisation` });
    }
    if (user.id === principal.userId && (input.disabled || (input.role && input.role !== 'admin'))) {
      errors.push({
        path: input.disabled ? '/disabled' : '/role',
        message: 'an admin cannot demote or disable themselves',
      });
    }
    if (errors.length) throw new AppError('validation_failed', 'The changes are not valid.', errors);
    const changes = {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.disabled !== undefined ? { disabled_at: input.disabled ? now.toISOString() : null } : {}),
    };
    if (Object.keys(changes).length) {
      await trx
        .updateTable('users')
        .set(changes)
        .where('org_id', '=', principal.orgId)
        .where('id', '=', user.id)
        .execute();
    }
    if (input.teams) {
      await trx
        .deleteFrom('team_members')
        .where('org_id', '=', principal.orgId)
        .where('user_id', '=', user.id)
        .execute();
      for (const t of teams) {
        await trx
          .insertInto('team_members')
          .values({ org_id: principal.orgId, team_id: t.id, user_id: user.id, created_at: now.toISOString() })
          .execute();
      }
    }
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'user.updated',
      entityType: 'user',
      entityId: user.id,
      before: { name: user.name, role: user.role, disabled: user.disabled_at !== null },
      after: { ...changes, ...(input.teams ? { teams: input.teams } : {}) },
    });
  });
  const all = await listUsers(deps, principal);
  return all.find((u) => u.id === id)!;
}
