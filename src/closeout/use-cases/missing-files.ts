import type { Db } from '../../kernel/context.js';

/**
 * Which of these files (by id and version) the engagement does not have, in one read: what a
 * packet's `file` fields are checked against before it is ready (the handoffs' `missingFilesOf`).
 */
export async function missingFilesOf(
  db: Db,
  orgId: string,
  engagementId: string,
  refs: readonly { fileId: string; version: number }[],
): Promise<{ fileId: string; version: number }[]> {
  if (refs.length === 0) return [];
  const ids = [...new Set(refs.map((r) => r.fileId))].filter((id) => id.length <= 64);
  const found = ids.length
    ? await db
        .selectFrom('engagement_file_versions')
        .innerJoin('engagement_files', 'engagement_files.id', 'engagement_file_versions.file_id')
        .select(['engagement_file_versions.file_id', 'engagement_file_versions.version'])
        .where('engagement_files.org_id', '=', orgId)
        .where('engagement_files.engagement_id', '=', engagementId)
        .where('engagement_file_versions.file_id', 'in', ids)
        .execute()
    : [];
  const have = new Set(found.map((f) => `${f.file_id}@${f.version}`));
  return refs.filter((r) => !have.has(`${r.fileId}@${r.version}`));
}
