import type { Insertable } from 'kysely';
import type { Tx } from '../../kernel/context.js';
import type { RevenueRecordsTable } from '../../kernel/db/schema.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import type { Principal } from '../../kernel/principal.js';
import { compareText, type RevenueKind } from '../domain/revenue-record.js';
import type { RevenueBatchResult, RevenueRecord } from '../revenue-schema.js';

/** Rows per multi-row insert: 500 rows × 11 columns stays far below both databases' parameter limits. */
const ROWS_PER_INSERT = 500;

/** A record checked and tied to its account, ready to store. */
export interface CheckedRecord {
  accountId: string;
  period: string;
  kind: RevenueKind;
  amountMinor: number;
  currency: string;
  externalId: string | null;
  note: string | null;
}

/**
 * Stores checked records in the caller's transaction, in multi-row inserts of 500, each `ON
 * CONFLICT (org, external_id) DO NOTHING`: a record whose external id is stored already (or
 * repeated in the batch) is a duplicate and leaves the stored one as it was; records without an
 * external id are always new. Publishes one `revenue.recorded` for the batch (the API's or a CSV
 * file's), audited as one entry with its counts.
 */
export async function storeRevenueRecords(
  trx: Tx,
  principal: Principal,
  records: readonly CheckedRecord[],
  source: 'api' | 'csv',
  now: Date,
): Promise<RevenueBatchResult> {
  const at = now.toISOString();
  const rows: Insertable<RevenueRecordsTable>[] = records.map((r) => ({
    id: newId(),
    org_id: principal.orgId,
    account_id: r.accountId,
    period: r.period,
    kind: r.kind,
    amount_minor: r.amountMinor,
    currency: r.currency,
    external_id: r.externalId,
    note: r.note,
    created_by: principal.userId,
    created_at: at,
  }));
  let accepted = 0;
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const written = await trx
      .insertInto('revenue_records')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .onConflict((oc) => oc.columns(['org_id', 'external_id']).doNothing())
      .executeTakeFirst();
    accepted += Number(written.numInsertedOrUpdatedRows ?? 0n);
  }
  const result = { accepted, duplicates: rows.length - accepted };
  await publish(trx, {
    type: 'revenue.recorded',
    orgId: principal.orgId,
    actor: { type: 'user', id: principal.userId },
    at: now,
    batchId: newId(),
    source,
    ...result,
    periods: distinct(records.map((r) => r.period)),
    currencies: distinct(records.map((r) => r.currency)),
  });
  return result;
}

const distinct = (values: string[]) => [...new Set(values)].sort(compareText);

/** A stored row as the API shows it (bigint amounts read back as numbers). */
export function toRevenueRecord(row: RevenueRecordsTable): RevenueRecord {
  return {
    id: row.id,
    account_id: row.account_id,
    period: row.period,
    kind: row.kind as RevenueKind,
    amount_minor: Number(row.amount_minor),
    currency: row.currency,
    external_id: row.external_id,
    note: row.note,
    created_by: row.created_by,
    created_at: row.created_at,
  };
}
