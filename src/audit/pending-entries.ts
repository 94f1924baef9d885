import type { Db } from '../kernel/context.js';

/**
 * How many of the organisation's audit entries wait to be sealed: committed by their writers,
 * not yet given a sequence number and hash by the sealer (so not yet in any listing or signed head).
 *
 * @example
 * await countPendingAudit(db, orgId); // 0 when the sealer keeps up
 */
export async function countPendingAudit(db: Db, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('audit_pending')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
