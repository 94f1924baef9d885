import { pipeline, type Readable } from 'node:stream';
import { normaliseMediaType } from '../../files/domain/media-type.js';
import { filesOf, recordBlob } from '../../files/files-deps.js';
import { tooLarge, uploadGuard } from '../../files/upload-guard.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction, type Tx } from '../../kernel/context.js';
import { isUniqueViolation } from '../../kernel/db/dialect.js';
import type { EngagementFilesTable, EngagementFileVersionsTable } from '../../kernel/db/schema.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import type { EngagementFile } from '../file-schema.js';
import { toFileView, versionsOf } from './file-records.js';

/** The bytes of an upload and what the client said of them. */
export interface UploadContent {
  body: Readable;
  /** The request's Content-Type: a hint, never believed over the bytes. */
  claimedType?: string | null;
  /** The Content-Length, when sent: over the limit, refused before reading a byte. */
  declaredSize?: number | null;
  /** The uploader's file name, if sent. */
  originalName?: string | null;
}

/**
 * Streams the upload into the storage, through the limits (size, then type read from the bytes),
 * then, in one transaction, `place` finds or makes the file and the version row is written with
 * the blob's record and `file.uploaded`. The blob is written before the transaction: if the
 * transaction fails, the blob is an orphan that `baton files sweep` removes.
 */
export async function storeUpload(
  deps: Deps,
  principal: Principal,
  content: UploadContent,
  place: (trx: Tx, now: Date) => Promise<{ file: EngagementFilesTable; created: boolean }>,
): Promise<{ file: EngagementFile; created: boolean }> {
  const { storage, limits } = filesOf(deps);
  if (content.declaredSize != null && content.declaredSize > limits.maxBytes) {
    content.body.resume();
    throw tooLarge(limits);
  }
  const guard = uploadGuard(limits, normaliseMediaType(content.claimedType));
  // pipeline passes a failed request body on to the guard, and the guard's refusal back to it.
  const source = pipeline(content.body, guard, () => {});
  let stored: Awaited<ReturnType<typeof storage.put>>;
  try {
    stored = await storage.put(source);
  } catch (error) {
    content.body.resume();
    throw error;
  }
  const mediaType = guard.mediaType();
  const now = deps.clock.now();
  // Two first uploads of one name at once: the second's insert meets the first's row, and its
  // second attempt finds the file and becomes its next version.
  for (let attempt = 1; ; attempt++) {
    try {
      return await record(deps, principal, content, place, { ...stored, mediaType }, now);
    } catch (error) {
      if (attempt >= 2 || !isUniqueViolation(error)) throw error;
    }
  }
}

/** The upload's rows, in one transaction: the file (found or made), the blob held, the version, the event. */
function record(
  deps: Deps,
  principal: Principal,
  content: UploadContent,
  place: (trx: Tx, now: Date) => Promise<{ file: EngagementFilesTable; created: boolean }>,
  stored: { sha256: string; size: number; mediaType: string },
  now: Date,
): Promise<{ file: EngagementFile; created: boolean }> {
  const { mediaType } = stored;
  return inTransaction(deps, async (trx) => {
    const { file: placed, created } = await place(trx, now);
    let file = placed;
    if (!created) {
      file = await trx
        .updateTable('engagement_files')
        .set((eb) => ({ latest_version: eb('latest_version', '+', 1), updated_at: now.toISOString() }))
        .where('id', '=', placed.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    await recordBlob(trx, principal.orgId, stored, now);
    const version: EngagementFileVersionsTable = {
      id: newId(),
      org_id: principal.orgId,
      file_id: file.id,
      version: file.latest_version,
      sha256: stored.sha256,
      size: stored.size,
      media_type: mediaType,
      original_name: content.originalName?.trim().slice(0, 255) || null,
      uploaded_by: principal.userId,
      uploaded_at: now.toISOString(),
    };
    await trx.insertInto('engagement_file_versions').values(version).execute();
    await publish(trx, {
      type: 'file.uploaded',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      file,
      version,
    });
    const versions = (await versionsOf(trx, principal.orgId, [file.id])).get(file.id) ?? [];
    return { file: toFileView(file, versions), created };
  });
}
