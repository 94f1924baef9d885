import type { Db } from '../../kernel/context.js';
import type { FileTag } from '../domain/file-tag.js';

/** The latest version of one file, as the closeout package lists it. */
export interface LatestFile {
  id: string;
  name: string;
  tag: FileTag;
  version: number;
  sha256: string;
  size: number;
  media_type: string;
  uploaded_at: string;
}

/**
 * The latest version of every file of an engagement, by name: what the closeout package shows the
 * client (who signs off exactly these versions, by their SHA-256).
 */
export async function latestFilesOf(db: Db, orgId: string, engagementId: string): Promise<LatestFile[]> {
  const rows = await db
    .selectFrom('engagement_files as f')
    .innerJoin('engagement_file_versions as v', (join) =>
      join.onRef('v.file_id', '=', 'f.id').onRef('v.version', '=', 'f.latest_version'),
    )
    .select(['f.id', 'f.name', 'f.tag', 'v.version', 'v.sha256', 'v.size', 'v.media_type', 'v.uploaded_at'])
    .where('f.org_id', '=', orgId)
    .where('v.org_id', '=', orgId)
    .where('f.engagement_id', '=', engagementId)
    .orderBy('f.name_key')
    .orderBy('f.id')
    .execute();
  return rows.map((r) => ({ ...r, tag: r.tag as FileTag, version: Number(r.version), size: Number(r.size) }));
}

/** How many of the engagement's files carry the tag: the closeout checklist's as-built drawings. */
export async function countFilesTagged(
  db: Db,
  orgId: string,
  engagementId: string,
  tag: string,
): Promise<number> {
  const row = await db
    .selectFrom('engagement_files')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('org_id', '=', orgId)
    .where('engagement_id', '=', engagementId)
    .where('tag', '=', tag)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
