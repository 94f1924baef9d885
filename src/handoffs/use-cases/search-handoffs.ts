import type { Db } from '../../kernel/context.js';
import type { DialectName } from '../../kernel/db/dialect.js';
import { type MatchRank, textMatch } from '../../kernel/db/text-match.js';

export interface HandoffHit {
  id: string;
  title: string;
  state: string;
  engagement_id: string;
  sending_team: string;
  receiving_team: string;
  rank: MatchRank;
}

/**
 * Handoffs of the organisation whose title contains the text, those it starts first, then the
 * most recently changed; each with its teams' names.
 *
 * @example await searchHandoffs({ db, dialect: 'postgres', orgId, text: 'harbor', limit: 5 })
 */
export async function searchHandoffs(s: {
  db: Db;
  dialect: DialectName;
  orgId: string;
  text: string;
  limit: number;
}): Promise<HandoffHit[]> {
  const m = textMatch(s.dialect, s.text, ['handoffs.title']);
  return s.db
    .selectFrom('handoffs')
    .innerJoin('teams as sending', 'sending.id', 'handoffs.sending_team_id')
    .innerJoin('teams as receiving', 'receiving.id', 'handoffs.receiving_team_id')
    .select([
      'handoffs.id',
      'handoffs.title',
      'handoffs.state',
      'handoffs.engagement_id',
      'sending.name as sending_team',
      'receiving.name as receiving_team',
      m.rank.as('rank'),
    ])
    .where('handoffs.org_id', '=', s.orgId)
    .where(m.matches)
    .orderBy(m.rank)
    .orderBy('handoffs.updated_at', 'desc')
    .orderBy('handoffs.id')
    .limit(s.limit)
    .execute();
}
