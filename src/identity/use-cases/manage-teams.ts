import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { requireCapability } from '../domain/authorize.js';
import type { Principal } from '../domain/roles.js';
import type { Team } from '../team-schema.js';

/** The organisation's teams with their member counts. */
export async function listTeams(deps: Deps, principal: Principal): Promise<Team[]> {
  const db = deps.store.db;
  const teams = await db
    .selectFrom('teams')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .orderBy('key')
    .execute();
  const counts = await db
    .selectFrom('team_members')
    .select(['team_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', principal.orgId)
    .groupBy('team_id')
    .execute();
  return teams.map((t) => ({
    id: t.id,
    key: t.key,
    name: t.name,
    members: Number(counts.find((c) => c.team_id === t.id)?.n ?? 0),
  }));
}

/** An admin creates a team; its key is what playbooks name as sender or receiver. */
export async function createTeam(
  deps: Deps,
  principal: Principal,
  input: { key: string; name: string },
): Promise<Team> {
  requireCapability(principal, 'manage_identity', 'create teams');
  const errors = [];
  if (!/^[a-z][a-z0-9_-]{0,39}$/.test(input.key)) {
    errors.push({
      path: '/key',
      message: 'must be lower-case letters, digits, dashes or underscores, starting with a letter',
    });
  }
  if (!input.name.trim()) errors.push({ path: '/name', message: 'must not be blank' });
  if (errors.length) throw new AppError('validation_failed', 'The team is not valid.', errors);
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const exists = await trx
      .selectFrom('teams')
      .select('id')
      .where('org_id', '=', principal.orgId)
      .where('key', '=', input.key)
      .executeTakeFirst();
    if (exists)
      throw new AppError('conflict', `A team ${input.key} already exists.`, [
        { path: '/key', message: 'already taken' },
      ]);
    const team = { id: newId(), key: input.key, name: input.name.trim() };
    await trx
      .insertInto('teams')
      .values({ ...team, org_id: principal.orgId, created_at: now.toISOString() })
      .execute();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'team.created',
      entityType: 'team',
      entityId: team.id,
      after: { key: team.key, name: team.name },
    });
    return { ...team, members: 0 };
  });
}
