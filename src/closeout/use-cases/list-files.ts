import { loadEngagement } from '../../accounts/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { FileTag } from '../domain/file-tag.js';
import type { EngagementFile } from '../file-schema.js';
import { toFileView, versionsOf } from './file-records.js';

/** The files of an engagement, by name, each with every version (newest first); optionally of one tag. */
export async function listFiles(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  filter: { tag?: FileTag } = {},
): Promise<{ items: EngagementFile[]; total: number }> {
  requireCapability(principal, 'read', 'list files');
  const db = deps.store.db;
  const engagement = await loadEngagement(db, principal.orgId, engagementId);
  let q = db
    .selectFrom('engagement_files')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('engagement_id', '=', engagement.id);
  if (filter.tag) q = q.where('tag', '=', filter.tag);
  const files = await q.orderBy('name_key').orderBy('id').execute();
  const versions = await versionsOf(
    db,
    principal.orgId,
    files.map((f) => f.id),
  );
  const items = files.map((f) => toFileView(f, versions.get(f.id) ?? []));
  return { items, total: items.length };
}
