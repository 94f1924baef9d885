import { latestFilesOf, openEngagementFileVersion } from '../../closeout/public.js';
import type { Deps } from '../../kernel/context.js';
import { invalidLink, openLink } from '../link-records.js';

/**
 * A file version the closeout package shows, opened for the client behind a sign-off link: only
 * the latest version of a file of the link's engagement, as the package lists it; anything else
 * (another version, another engagement's file, a link that opens nothing) answers as a link that
 * opens nothing, so a guess learns nothing.
 */
export async function openPackageFile(deps: Deps, token: string, fileId: string, version: number) {
  const { link } = await openLink(deps.store.db, token, deps.clock.now(), 'signoff');
  const shown = await latestFilesOf(deps.store.db, link.org_id, link.engagement_id);
  if (!shown.some((f) => f.id === fileId && f.version === version)) throw invalidLink();
  return openEngagementFileVersion(deps, link.org_id, link.engagement_id, fileId, version);
}
