import type { Readable } from 'node:stream';
import { filesOf } from '../../files/files-deps.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { EngagementFilesTable, EngagementFileVersionsTable } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { loadFile } from './file-records.js';

/** A version of a file, opened: its rows and a stream of its bytes from the storage. */
export interface OpenedFileVersion {
  file: EngagementFilesTable;
  version: EngagementFileVersionsTable;
  content: Readable;
}

/** One version of an engagement's file, with a stream of its bytes, for a member of the team. */
export async function openFileVersion(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  fileId: string,
  version: number,
): Promise<OpenedFileVersion> {
  requireCapability(principal, 'read', 'download the content of files');
  return openEngagementFileVersion(deps, principal.orgId, engagementId, fileId, version);
}

/**
 * One version of a file of the engagement in the organisation, with a stream of its bytes; or
 * `not_found`. Who may read it is the caller's to decide (a member's role, a client's link).
 */
export async function openEngagementFileVersion(
  deps: Deps,
  orgId: string,
  engagementId: string,
  fileId: string,
  version: number,
): Promise<OpenedFileVersion> {
  const db = deps.store.db;
  const file = await loadFile(db, orgId, engagementId, fileId);
  const row = await db
    .selectFrom('engagement_file_versions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('file_id', '=', file.id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `File ${file.name} has no version ${version}.`);
  return { file, version: row, content: await filesOf(deps).storage.get(row.sha256) };
}
