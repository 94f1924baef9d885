import type { Readable } from 'node:stream';
import { filesOf } from '../../files/files-deps.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { EngagementFilesTable, EngagementFileVersionsTable } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { loadFile } from './file-records.js';

/** One version of an engagement's file, with a stream of its bytes from the storage. */
export async function openFileVersion(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  fileId: string,
  version: number,
): Promise<{ file: EngagementFilesTable; version: EngagementFileVersionsTable; content: Readable }> {
  requireCapability(principal, 'read', 'download the content of files');
  const db = deps.store.db;
  const file = await loadFile(db, principal.orgId, engagementId, fileId);
  const row = await db
    .selectFrom('engagement_file_versions')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('file_id', '=', file.id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `File ${file.name} has no version ${version}.`);
  return { file, version: row, content: await filesOf(deps).storage.get(row.sha256) };
}
