import type { Store } from '../kernel/db/dialect.js';
import type { BlobStorage } from './blob-storage.js';

export interface SweepResult {
  /** Finished blobs no organisation references. */
  removedBlobs: number;
  /** Uploads that never finished. */
  removedUnfinished: number;
  /** Blobs kept: referenced, or too young to judge. */
  kept: number;
}

/**
 * Removes what the storage holds that no row references: a blob written whose row was never
 * committed (the upload failed after the write, or the process died), and uploads that never
 * finished. Only what is older than `graceMs` (an hour by default) is judged, so an upload in
 * flight, whose row is not yet committed, is left alone.
 */
export async function sweepOrphanBlobs(
  store: Store,
  storage: BlobStorage,
  options: { now: Date; graceMs?: number },
): Promise<SweepResult> {
  const before = options.now.getTime() - (options.graceMs ?? 60 * 60 * 1000);
  const result: SweepResult = { removedBlobs: 0, removedUnfinished: 0, kept: 0 };
  for await (const item of storage.list()) {
    if (item.storedAt.getTime() > before) {
      result.kept++;
      continue;
    }
    if (item.sha256 === null) {
      await storage.deleteUnfinished(item.key);
      result.removedUnfinished++;
      continue;
    }
    const referenced = await store.db
      .selectFrom('blobs')
      .select('sha256')
      .where('sha256', '=', item.sha256)
      .executeTakeFirst();
    if (referenced) {
      result.kept++;
      continue;
    }
    await storage.delete(item.sha256);
    result.removedBlobs++;
  }
  return result;
}
