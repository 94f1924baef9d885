import type { Db } from '../../kernel/context.js';
import type { EngagementFilesTable, EngagementFileVersionsTable } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import type { FileTag } from '../domain/file-tag.js';
import type { EngagementFile, FileVersion } from '../file-schema.js';

export function contentUrl(
  file: Pick<EngagementFilesTable, 'id' | 'engagement_id'>,
  version: number,
): string {
  return `/api/v1/engagements/${file.engagement_id}/files/${file.id}/versions/${version}/content`;
}

export function toVersionView(
  file: Pick<EngagementFilesTable, 'id' | 'engagement_id'>,
  row: EngagementFileVersionsTable,
): FileVersion {
  return {
    version: row.version,
    sha256: row.sha256,
    size: Number(row.size),
    media_type: row.media_type,
    original_name: row.original_name,
    uploaded_by: row.uploaded_by,
    uploaded_at: row.uploaded_at,
    content_url: contentUrl(file, row.version),
  };
}

export function toFileView(
  row: EngagementFilesTable,
  versions: EngagementFileVersionsTable[],
): EngagementFile {
  return {
    id: row.id,
    engagement_id: row.engagement_id,
    name: row.name,
    tag: row.tag as FileTag,
    latest_version: row.latest_version,
    created_at: row.created_at,
    updated_at: row.updated_at,
    versions: [...versions].sort((a, b) => b.version - a.version).map((v) => toVersionView(row, v)),
  };
}

/** The file of this engagement in the organisation, or `not_found`. */
export async function loadFile(
  db: Db,
  orgId: string,
  engagementId: string,
  fileId: string,
): Promise<EngagementFilesTable> {
  const row = isId(fileId)
    ? await db
        .selectFrom('engagement_files')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('engagement_id', '=', engagementId)
        .where('id', '=', fileId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No file ${fileId} on engagement ${engagementId}.`);
  return row;
}

/** The versions of the given files, by file id. */
export async function versionsOf(db: Db, orgId: string, fileIds: readonly string[]) {
  const byFile = new Map<string, EngagementFileVersionsTable[]>();
  if (!fileIds.length) return byFile;
  const rows = await db
    .selectFrom('engagement_file_versions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('file_id', 'in', fileIds)
    .execute();
  for (const row of rows) byFile.set(row.file_id, [...(byFile.get(row.file_id) ?? []), row]);
  return byFile;
}
