import { searchAccounts, searchContacts, searchEngagements } from '../../accounts/public.js';
import { searchHandoffs } from '../../handoffs/public.js';
import { searchUsers } from '../../identity/use-cases/search-users.js';
import type { Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { SearchResults } from '../search-schema.js';

/** How many of each kind a search answers unless asked for fewer or more (at most 20). */
export const DEFAULT_SEARCH_LIMIT = 5;

/**
 * Handoffs, accounts, engagements and people (the accounts' contacts and the organisation's
 * users) of the caller's organisation whose names contain `q` in any case, at most `limit` of each
 * kind, those whose name starts with it first. Every kind is readable by whoever may read.
 *
 * @example await search(deps, olive, { q: 'harb' }) // → { handoffs: [...], accounts: [{ name: 'Harbor Logistics' }], ... }
 */
export async function search(
  deps: Deps,
  principal: Principal,
  query: { q: string; limit?: number },
): Promise<SearchResults> {
  requireCapability(principal, 'read', 'search');
  const text = query.q.trim();
  const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
  const s = { db: deps.store.db, dialect: deps.store.dialect, orgId: principal.orgId, text, limit };
  const [handoffs, accounts, engagements, contacts, users] = await Promise.all([
    searchHandoffs(s),
    searchAccounts(s),
    searchEngagements(s),
    searchContacts(s),
    searchUsers(s),
  ]);
  const people = [
    ...contacts.map(({ rank, title, ...c }) => ({ rank, kind: 'contact' as const, ...c, detail: title })),
    ...users.map(({ rank, role, ...u }) => ({
      rank,
      kind: 'user' as const,
      ...u,
      detail: role,
      account_id: null,
      account_name: null,
    })),
  ]
    .sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ rank: _rank, ...person }) => person);
  const unranked = <T extends { rank: number }>(hits: T[]) => hits.map(({ rank: _rank, ...hit }) => hit);
  return {
    q: text,
    handoffs: unranked(handoffs),
    accounts: unranked(accounts),
    engagements: unranked(engagements),
    people,
  };
}
