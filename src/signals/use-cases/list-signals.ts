import { loadAccount } from '../../accounts/public.js';
import type { Deps } from '../../kernel/context.js';
import type { SignalsTable } from '../../kernel/db/schema.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { Signal, SignalKind } from '../signal-schema.js';

export interface SignalFilter {
  kind?: SignalKind;
  /** Only signals at or after this moment. */
  from?: string;
  /** Only signals before this moment. */
  to?: string;
  limit?: number;
}

/**
 * An account's signals, newest first (by when they happened), of the caller's organisation only:
 * another organisation's account is not found.
 *
 * @example
 * const usage = await listSignals(deps, principal, accountId, { kind: 'usage', limit: 50 });
 */
export async function listSignals(
  deps: Deps,
  principal: Principal,
  accountId: string,
  filter: SignalFilter,
): Promise<Signal[]> {
  requireCapability(principal, 'read', 'read signals');
  await loadAccount(deps.store.db, principal.orgId, accountId);
  let q = deps.store.db
    .selectFrom('signals')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('account_id', '=', accountId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.from) q = q.where('at', '>=', new Date(filter.from).toISOString());
  if (filter.to) q = q.where('at', '<', new Date(filter.to).toISOString());
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map(toSignalView);
}

function toSignalView(row: SignalsTable): Signal {
  return {
    id: row.id,
    event_id: row.event_id,
    account_id: row.account_id,
    kind: row.kind as SignalKind,
    at: row.at,
    value: row.value === null ? null : Number(row.value),
    feature: row.feature,
    csat: row.csat === null ? null : Number(row.csat),
    received_at: row.received_at,
  };
}
