import type { Db } from '../../kernel/context.js';
import type { DialectName } from '../../kernel/db/dialect.js';
import { type MatchRank, textMatch } from '../../kernel/db/text-match.js';

export interface UserHit {
  id: string;
  name: string;
  email: string;
  role: string;
  rank: MatchRank;
}

/**
 * Users of the organisation, not disabled, whose name or e-mail address contains the text.
 *
 * @example await searchUsers({ db, dialect: 'sqlite', orgId, text: 'olive', limit: 5 })
 */
export async function searchUsers(s: {
  db: Db;
  dialect: DialectName;
  orgId: string;
  text: string;
  limit: number;
}): Promise<UserHit[]> {
  const m = textMatch(s.dialect, s.text, ['users.name', 'users.email']);
  return s.db
    .selectFrom('users')
    .select(['users.id', 'users.name', 'users.email', 'users.role', m.rank.as('rank')])
    .where('users.org_id', '=', s.orgId)
    .where('users.disabled_at', 'is', null)
    .where(m.matches)
    .orderBy(m.rank)
    .orderBy('users.name')
    .orderBy('users.id')
    .limit(s.limit)
    .execute();
}
