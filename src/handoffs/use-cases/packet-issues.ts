import type { Db } from '../../kernel/context.js';
import type { ErrorDetail } from '../../kernel/errors.js';
import { type UserDirectory, userDirectory } from '../../playbooks/domain/user-directory.js';
import type { PacketValidator } from '../../playbooks/playbook-cache.js';

/** Packet issues as API error details: pointers into the handoff resource (`/packet/...`). */
export function asDetails(result: ReturnType<PacketValidator['checkReadiness']>): ErrorDetail[] {
  if (result.ready) return [];
  return result.issues.map((i) => ({ path: `/packet${i.path}`, message: i.message, code: i.code }));
}

/** What an in-progress packet gets wrong (types, unknown fields); missing values are fine. */
export function draftIssues(validator: PacketValidator, packet: unknown): ErrorDetail[] {
  return asDetails(validator.checkDraft(packet));
}

/**
 * Everything standing between this packet and a submit, users named in `user` fields included:
 * those are looked up among the organisation's active users, with their teams, in one query
 * (none when the packet names nobody).
 */
export async function readinessIssues(
  db: Db,
  orgId: string,
  validator: PacketValidator,
  packet: unknown,
): Promise<ErrorDetail[]> {
  const users = await activeUsersNamed(db, orgId, validator.usersNamed(packet));
  return asDetails(validator.checkReadiness(packet, users));
}

/** The active users of the organisation among these e-mail addresses, with their team keys. */
async function activeUsersNamed(db: Db, orgId: string, emails: string[]): Promise<UserDirectory> {
  if (emails.length === 0) return userDirectory([]);
  const rows = await db
    .selectFrom('users')
    .leftJoin('team_members', 'team_members.user_id', 'users.id')
    .leftJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['users.email', 'teams.key'])
    .where('users.org_id', '=', orgId)
    .where('users.disabled_at', 'is', null)
    .where(
      'users.email',
      'in',
      emails.map((e) => e.trim().toLowerCase()),
    )
    .execute();
  const teams = new Map<string, string[]>();
  for (const row of rows) {
    const list = teams.get(row.email) ?? [];
    if (row.key !== null) list.push(row.key);
    teams.set(row.email, list);
  }
  return userDirectory([...teams].map(([email, keys]) => ({ email, teams: keys })));
}
