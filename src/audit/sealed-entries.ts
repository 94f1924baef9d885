import type { Kysely } from 'kysely';
import type { AuditLogTable, Database } from '../kernel/db/schema.js';

/** The organisation's sealed entries in sequence order, optionally only those after `afterSeq` or up to `toSeq`. */
export function readSealedEntries(
  db: Kysely<Database>,
  orgId: string,
  range: { afterSeq?: number; toSeq?: number } = {},
): Promise<AuditLogTable[]> {
  let q = db.selectFrom('audit_log').selectAll().where('org_id', '=', orgId);
  if (range.afterSeq !== undefined) q = q.where('seq', '>', range.afterSeq);
  if (range.toSeq !== undefined) q = q.where('seq', '<=', range.toSeq);
  return q.orderBy('seq').execute();
}
