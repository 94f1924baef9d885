import type { Db, Deps } from '../../kernel/context.js';
import { engagementSubstance } from '../../substance/public.js';
import { canonicalSha256, packageSha256 } from '../domain/closeout-package.js';
import { type OpenLink, openLink } from '../link-records.js';
import type { PortalPage } from '../portal-schema.js';

/** What the client is shown to confirm, and its SHA-256 (so a confirmation records what was shown). */
export async function understandingOf(db: Db, open: OpenLink) {
  const substance = await engagementSubstance(db, open.link.org_id, open.engagement.id);
  const shown = {
    goal: substance.goal,
    metric: substance.metric,
    scope: substance.scope,
    promises: substance.promises,
  };
  return { shown, sha256: canonicalSha256(shown) };
}

/** The engagement's owner as the client meets them: name, role and address; null when it has none. */
async function ownerOf(db: Db, open: OpenLink): Promise<PortalPage['owner']> {
  if (!open.engagement.owner_user_id) return null;
  const user = await db
    .selectFrom('users')
    .select(['name', 'role', 'email'])
    .where('org_id', '=', open.link.org_id)
    .where('id', '=', open.engagement.owner_user_id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!user) return null;
  const role = `${user.role.charAt(0).toUpperCase()}${user.role.slice(1)}`;
  return {
    name: user.name,
    role: user.role === 'admin' ? 'Account lead' : `${role} lead`,
    email: user.email,
  };
}

/**
 * The client's page behind a magic link: the organisation's name and colour, their engagement,
 * their new owner, and what the link's purpose asks of them (the understanding to confirm, the
 * closeout package to sign off, the survey). Nothing else: no other engagement, no secret. The
 * first opening is noted for the team.
 */
export async function getPortalPage(deps: Deps, token: string): Promise<PortalPage> {
  const db = deps.store.db;
  const now = deps.clock.now();
  const open = await openLink(db, token, now);
  const { link } = open;
  if (link.opened_at === null)
    await db
      .updateTable('portal_links')
      .set({ opened_at: now.toISOString() })
      .where('id', '=', link.id)
      .where('opened_at', 'is', null)
      .execute();
  const [owner, understanding, pkg, lastConfirmed] = await Promise.all([
    ownerOf(db, open),
    link.purpose === 'confirm' ? understandingOf(db, open) : null,
    link.purpose === 'signoff' ? deps.ports.closeoutPackageOf(db, link.org_id, link.engagement_id) : null,
    link.purpose === 'confirm'
      ? db
          .selectFrom('portal_confirmations')
          .select('confirmed_at')
          .where('org_id', '=', link.org_id)
          .where('link_id', '=', link.id)
          .orderBy('confirmed_at', 'desc')
          .executeTakeFirst()
      : undefined,
  ]);
  return {
    purpose: link.purpose as PortalPage['purpose'],
    expires_at: link.expires_at,
    organisation: open.organisation,
    engagement: { name: open.engagement.name, account: open.account },
    contact: { name: open.contact.name },
    owner,
    understanding: understanding
      ? {
          ...understanding.shown,
          sha256: understanding.sha256,
          last_confirmed_at: lastConfirmed?.confirmed_at ?? null,
        }
      : null,
    package: pkg ? { content: pkg, sha256: packageSha256(pkg) } : null,
    survey: link.purpose === 'survey',
  };
}
