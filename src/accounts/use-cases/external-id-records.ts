import type { Db } from '../../kernel/context.js';
import type { RecordExternalIdsTable } from '../../kernel/db/schema.js';
import { externalIdMatches } from '../domain/field-checks.js';

export type RecordType = RecordExternalIdsTable['record_type'];

/**
 * Keeps the lookup rows of a record's external ids equal to its map: called in the transaction
 * that writes the record, with `replacing` when the record had ids before.
 */
export async function storeExternalIds(
  trx: Db,
  record: { orgId: string; type: RecordType; id: string },
  ids: Record<string, string>,
  replacing: boolean,
): Promise<void> {
  if (replacing) {
    await trx
      .deleteFrom('record_external_ids')
      .where('record_type', '=', record.type)
      .where('record_id', '=', record.id)
      .execute();
  }
  const rows = Object.entries(ids).map(([system, externalId]) => ({
    org_id: record.orgId,
    record_type: record.type,
    record_id: record.id,
    system,
    external_id: externalId,
  }));
  if (rows.length > 0) await trx.insertInto('record_external_ids').values(rows).execute();
}

/**
 * The ids of the organisation's records of one type that carry the external id `value`
 * (`system:id`, or an id in any system; see `externalIdMatches`), for `where('id', 'in', …)`.
 * It seeks the index on (org, type, external id).
 */
export function recordsWithExternalId(db: Db, orgId: string, type: RecordType, value: string) {
  const matches = externalIdMatches(value);
  return db
    .selectFrom('record_external_ids')
    .select('record_id')
    .where('org_id', '=', orgId)
    .where('record_type', '=', type)
    .where((eb) =>
      eb.or(
        matches.map((m) =>
          m.system === undefined
            ? eb('external_id', '=', m.id)
            : eb.and([eb('external_id', '=', m.id), eb('system', '=', m.system)]),
        ),
      ),
    );
}
