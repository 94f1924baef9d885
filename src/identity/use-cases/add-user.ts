import { appendAudit } from '../../audit/append-audit.js';
import type { Actor } from '../../kernel/actor.js';
import { type Deps, inTransaction, type Tx } from '../../kernel/context.js';
import { isUniqueViolation } from '../../kernel/db/dialect.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { hashPassword, passwordProblems } from '../domain/password.js';
import { isRole, ROLES, type Role } from '../domain/roles.js';
import { isTokenScope, scopeProblems, TOKEN_SCOPES } from '../domain/scopes.js';
import type { CreatedUser } from '../user-schema.js';
import { issueTokenInTx } from './issue-token.js';

export interface NewUser {
  email: string;
  name?: string;
  role: string;
  teamKeys: string[];
  /** A password for the web sign-in; stored only as a scrypt hash. */
  password?: string;
  /** The scopes of the user's first API token; every scope by default. */
  scopes?: readonly string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Validates and inserts a user with their team memberships and a first API token. */
export async function createUserInTx(
  trx: Tx,
  orgId: string,
  actor: Actor,
  now: Date,
  input: NewUser,
  passwordHash: string | null = null,
): Promise<CreatedUser> {
  const email = input.email.trim().toLowerCase();
  const errors: ErrorDetail[] = [];
  if (!EMAIL.test(email)) errors.push({ path: '/email', message: 'must be an e-mail address' });
  if (!isRole(input.role)) errors.push({ path: '/role', message: `must be one of ${ROLES.join(', ')}` });
  const scopes = input.scopes ?? TOKEN_SCOPES;
  errors.push(...scopeProblems(scopes));
  const teams = input.teamKeys.length
    ? await trx
        .selectFrom('teams')
        .select(['id', 'key'])
        .where('org_id', '=', orgId)
        .where('key', 'in', input.teamKeys)
        .execute()
    : [];
  for (const key of input.teamKeys) {
    if (!teams.some((t) => t.key === key))
      errors.push({ path: '/teams', message: `no team ${key} in this organisation` });
  }
  if (errors.length) throw new AppError('validation_failed', 'The user is not valid.', errors);
  const exists = await trx
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('email', '=', email)
    .executeTakeFirst();
  if (exists) {
    throw new AppError('conflict', `A user with e-mail ${email} already exists.`, [
      { path: '/email', message: 'already taken' },
    ]);
  }
  const role = input.role as Role;
  const user = { id: newId(), email, name: input.name?.trim() || email.split('@')[0]!, role };
  await trx
    .insertInto('users')
    .values({
      ...user,
      org_id: orgId,
      password_hash: passwordHash,
      created_at: now.toISOString(),
      disabled_at: null,
    })
    .execute();
  for (const team of teams) {
    await trx
      .insertInto('team_members')
      .values({ org_id: orgId, team_id: team.id, user_id: user.id, created_at: now.toISOString() })
      .execute();
  }
  await appendAudit(trx, orgId, actor, now, {
    action: 'user.created',
    entityType: 'user',
    entityId: user.id,
    after: { email, name: user.name, role, teams: teams.map((t) => t.key) },
  });
  const token = await issueTokenInTx(trx, orgId, actor, now, {
    userId: user.id,
    name: 'default',
    scopes: scopes.filter(isTokenScope),
  });
  return { user: { ...user, teams: teams.map((t) => t.key) }, token };
}

/** Adds a user to an organisation (by slug or id) and answers the user with a token shown once. */
export async function addUser(
  deps: Deps,
  actor: Actor,
  org: { slug?: string; id?: string },
  input: NewUser,
): Promise<CreatedUser> {
  if (input.password !== undefined) {
    const problems = passwordProblems(input.password);
    if (problems.length) throw new AppError('validation_failed', 'The password is not acceptable.', problems);
  }
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
  try {
    return await inTransaction(deps, async (trx) => {
      let q = trx.selectFrom('organisations').select('id');
      q = org.id ? q.where('id', '=', org.id) : q.where('slug', '=', org.slug ?? '');
      const found = await q.executeTakeFirst();
      if (!found) throw new AppError('not_found', `No organisation ${org.slug ?? org.id}.`);
      return createUserInTx(trx, found.id, actor, deps.clock.now(), input, passwordHash);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', 'A user with this e-mail already exists.');
    throw error;
  }
}
