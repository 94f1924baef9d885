import type { Db } from '../../kernel/context.js';
import type { DialectName } from '../../kernel/db/dialect.js';
import { type MatchRank, textMatch } from '../../kernel/db/text-match.js';

/** What a search needs: where to look, for whom, for what, and how many of each kind at most. */
export interface RecordSearch {
  db: Db;
  dialect: DialectName;
  orgId: string;
  text: string;
  limit: number;
}

export interface AccountHit {
  id: string;
  name: string;
  rank: MatchRank;
}

export interface EngagementHit {
  id: string;
  name: string;
  stage: string | null;
  account_id: string;
  account_name: string;
  rank: MatchRank;
}

export interface ContactHit {
  id: string;
  name: string;
  email: string | null;
  title: string | null;
  account_id: string;
  account_name: string;
  rank: MatchRank;
}

/**
 * Accounts of the organisation whose name contains the text, those it starts first.
 *
 * @example await searchAccounts({ db, dialect: 'sqlite', orgId, text: 'har', limit: 5 })
 */
export async function searchAccounts(s: RecordSearch): Promise<AccountHit[]> {
  const m = textMatch(s.dialect, s.text, ['accounts.name']);
  return s.db
    .selectFrom('accounts')
    .select(['accounts.id', 'accounts.name', m.rank.as('rank')])
    .where('accounts.org_id', '=', s.orgId)
    .where(m.matches)
    .orderBy(m.rank)
    .orderBy('accounts.name')
    .orderBy('accounts.id')
    .limit(s.limit)
    .execute();
}

/** Engagements whose name contains the text, with their account's name. */
export async function searchEngagements(s: RecordSearch): Promise<EngagementHit[]> {
  const m = textMatch(s.dialect, s.text, ['engagements.name']);
  return s.db
    .selectFrom('engagements')
    .innerJoin('accounts', 'accounts.id', 'engagements.account_id')
    .select([
      'engagements.id',
      'engagements.name',
      'engagements.stage',
      'engagements.account_id',
      'accounts.name as account_name',
      m.rank.as('rank'),
    ])
    .where('engagements.org_id', '=', s.orgId)
    .where(m.matches)
    .orderBy(m.rank)
    .orderBy('engagements.name')
    .orderBy('engagements.id')
    .limit(s.limit)
    .execute();
}

/** Contacts whose name or e-mail address contains the text, with their account's name. */
export async function searchContacts(s: RecordSearch): Promise<ContactHit[]> {
  const m = textMatch(s.dialect, s.text, ['contacts.name', 'contacts.email']);
  return s.db
    .selectFrom('contacts')
    .innerJoin('accounts', 'accounts.id', 'contacts.account_id')
    .select([
      'contacts.id',
      'contacts.name',
      'contacts.email',
      'contacts.title',
      'contacts.account_id',
      'accounts.name as account_name',
      m.rank.as('rank'),
    ])
    .where('contacts.org_id', '=', s.orgId)
    .where(m.matches)
    .orderBy(m.rank)
    .orderBy('contacts.name')
    .orderBy('contacts.id')
    .limit(s.limit)
    .execute();
}
