import type { Deps, Tx } from '../kernel/context.js';
import type { BlobStorage, StoredBlob } from './blob-storage.js';
import { DatabaseBlobStorage } from './database-storage.js';
import { DEFAULT_FILE_TYPES } from './domain/media-type.js';
import { DEFAULT_MAX_BYTES, type FileLimits } from './upload-guard.js';

/** Where uploads go and what they may be: handed in by the composition root (`BATON_FILES`…). */
export interface FileService {
  storage: BlobStorage;
  limits: FileLimits;
}

declare module '../kernel/context.js' {
  interface Deps {
    /** The configured file storage and limits; the database storage with the default limits when absent. */
    files?: FileService;
  }
}

/**
 * The file storage a use case writes to: the configured one, or (for a process that configured
 * none, such as a test that never uploads) the database itself with the default limits.
 */
export function filesOf(deps: Deps): FileService {
  return (
    deps.files ?? {
      storage: new DatabaseBlobStorage(deps.store),
      limits: { maxBytes: DEFAULT_MAX_BYTES, types: DEFAULT_FILE_TYPES },
    }
  );
}

/**
 * Records, in the transaction that references it, that the organisation holds a blob: from then
 * on the sweep keeps it. Answers whether the row is new.
 */
export async function recordBlob(
  trx: Tx,
  orgId: string,
  blob: StoredBlob & { mediaType: string },
  at: Date,
): Promise<void> {
  await trx
    .insertInto('blobs')
    .values({
      org_id: orgId,
      sha256: blob.sha256,
      size: blob.size,
      media_type: blob.mediaType,
      created_at: at.toISOString(),
    })
    .onConflict((oc) => oc.columns(['org_id', 'sha256']).doNothing())
    .execute();
}
