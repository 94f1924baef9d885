import type { Db } from '../../kernel/context.js';

/** The client's sign-offs of an engagement's closeout package, oldest first: who, when, the hash. */
export async function signoffsOf(
  db: Db,
  orgId: string,
  engagementId: string,
): Promise<{ signer_name: string; signed_at: string; package_sha256: string }[]> {
  return db
    .selectFrom('closeout_signoffs')
    .select(['signer_name', 'signed_at', 'package_sha256'])
    .where('org_id', '=', orgId)
    .where('engagement_id', '=', engagementId)
    .orderBy('signed_at')
    .orderBy('id')
    .execute();
}
