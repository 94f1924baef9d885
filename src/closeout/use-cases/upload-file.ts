import { loadEngagement } from '../../accounts/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { isFileTag, MAX_FILE_NAME } from '../domain/file-tag.js';
import type { EngagementFile } from '../file-schema.js';
import { storeUpload, type UploadContent } from './store-upload.js';

/**
 * Uploads a file to an engagement under a name and a tag. A name the engagement already has (in
 * any case) gets a new version instead ("as-built floor 2" uploaded again is its version 2; the
 * older versions are kept). Publishes `file.uploaded`.
 */
export async function uploadFile(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: { name: string; tag: string },
  content: UploadContent,
): Promise<{ file: EngagementFile; created: boolean }> {
  requireCapability(principal, 'write_records', 'upload files');
  const name = input.name.trim();
  const errors: ErrorDetail[] = [];
  if (!name) errors.push({ path: '/querystring/name', message: 'must not be blank' });
  if (name.length > MAX_FILE_NAME)
    errors.push({ path: '/querystring/name', message: `must be at most ${MAX_FILE_NAME} characters` });
  if (!isFileTag(input.tag))
    errors.push({
      path: '/querystring/tag',
      message: 'must be as_built, network_map, contract, photo or other',
    });
  if (errors.length) {
    content.body.resume();
    throw new AppError('validation_failed', 'The file is not valid.', errors);
  }
  const engagement = await loadEngagement(deps.store.db, principal.orgId, engagementId).catch((error) => {
    content.body.resume();
    throw error;
  });
  return storeUpload(deps, principal, content, async (trx, now) => {
    const existing = await trx
      .selectFrom('engagement_files')
      .selectAll()
      .where('org_id', '=', principal.orgId)
      .where('engagement_id', '=', engagement.id)
      .where('name_key', '=', name.toLowerCase())
      .executeTakeFirst();
    if (existing) return { file: existing, created: false };
    const row = {
      id: newId(),
      org_id: principal.orgId,
      engagement_id: engagement.id,
      name,
      name_key: name.toLowerCase(),
      tag: input.tag,
      latest_version: 1,
      created_by: principal.userId,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('engagement_files').values(row).execute();
    return { file: row, created: true };
  });
}
