import type { Db, Ports } from '../../kernel/context.js';
import type { ErrorDetail } from '../../kernel/errors.js';
import { fileRefsOf } from '../../playbooks/domain/file-refs.js';
import type { TransitionDef } from '../../playbooks/domain/playbook.js';
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
 * (none when the packet names nobody); and, with `files`, every `file` field's file and version,
 * which must be the engagement's own.
 */
export async function readinessIssues(
  db: Db,
  orgId: string,
  validator: PacketValidator,
  packet: unknown,
  files?: { transition: TransitionDef; engagementId: string; ports: Ports },
): Promise<ErrorDetail[]> {
  const users = await activeUsersNamed(db, orgId, validator.usersNamed(packet));
  const issues = asDetails(validator.checkReadiness(packet, users));
  if (!files) return issues;
  const refs = fileRefsOf(files.transition, packet);
  if (refs.length === 0) return issues;
  const missing = await files.ports.missingFilesOf(db, orgId, files.engagementId, refs);
  const named = new Set(issues.map((i) => i.path));
  const found = refs
    .filter((r) => missing.some((m) => m.fileId === r.fileId && m.version === r.version))
    .map((r) => ({
      path: `/packet/${r.parts.join('/')}`,
      message: `${r.label} names version ${r.version} of a file this engagement does not have`,
      code: 'unknown_file',
    }))
    .filter((i) => !named.has(i.path));
  return [...issues, ...found];
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
