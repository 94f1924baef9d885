import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { EngagementFile } from '../file-schema.js';
import { loadFile } from './file-records.js';
import { storeUpload, type UploadContent } from './store-upload.js';

/** Uploads a new version of an engagement's file; the older ones stay downloadable. Publishes `file.uploaded`. */
export async function uploadFileVersion(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  fileId: string,
  content: UploadContent,
): Promise<EngagementFile> {
  requireCapability(principal, 'write_records', 'upload new versions of files');
  await loadFile(deps.store.db, principal.orgId, engagementId, fileId).catch((error) => {
    content.body.resume();
    throw error;
  });
  const { file } = await storeUpload(deps, principal, content, async (trx) => ({
    file: await loadFile(trx, principal.orgId, engagementId, fileId),
    created: false,
  }));
  return file;
}
