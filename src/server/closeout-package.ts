import { loadAccount, loadEngagement } from '../accounts/public.js';
import type { Db } from '../kernel/context.js';
import type { CloseoutPackage, PackageSection } from '../portal/public.js';
import { engagementSubstance } from '../substance/public.js';

/**
 * One part of the closeout package: the sections a feature contributes for an engagement. Only
 * what the client may see: never a secret (the vault contributes nothing here).
 */
type SectionSource = (db: Db, orgId: string, engagementId: string) => Promise<PackageSection[]>;

const engagementSection: SectionSource = async (db, orgId, engagementId) => {
  const engagement = await loadEngagement(db, orgId, engagementId);
  const account = await loadAccount(db, orgId, engagement.account_id);
  const owner = engagement.owner_user_id
    ? await db
        .selectFrom('users')
        .select(['name', 'email'])
        .where('org_id', '=', orgId)
        .where('id', '=', engagement.owner_user_id)
        .executeTakeFirst()
    : undefined;
  return [
    {
      key: 'engagement',
      title: 'Engagement',
      items: [
        { label: 'Client', value: account.name },
        { label: 'Engagement', value: engagement.name },
        { label: 'Your owner from now on', value: owner ? `${owner.name} <${owner.email}>` : null },
      ],
    },
  ];
};

const substanceSections: SectionSource = async (db, orgId, engagementId) => {
  const s = await engagementSubstance(db, orgId, engagementId);
  return [
    {
      key: 'goal',
      title: 'Goal and success measure',
      items: [
        { label: 'Goal', value: s.goal },
        { label: 'Success measure', value: s.metric },
      ],
    },
    {
      key: 'scope',
      title: 'Scope',
      items: s.scope.map((i) => ({
        label: i.kind === 'in' ? 'In scope' : 'Out of scope',
        value: i.description,
      })),
    },
    {
      key: 'promises',
      title: 'Commitments',
      items: s.promises.map((p) => ({
        label: p.in_contract ? 'In the contract' : 'Agreed',
        value: p.text,
        detail: p.status.replace('_', ' '),
      })),
    },
  ];
};

/**
 * The sources of the closeout package, in the order the client reads them. The closeout's parts
 * (files and drawings, inventory, warranties and contracts, training) join here as one line each.
 */
const PACKAGE_SOURCES: readonly SectionSource[] = [engagementSection, substanceSections];

/**
 * The closeout package of an engagement, as the portal's port (`src/portal/ports.ts`) asks for it.
 *
 * @example
 *   (await closeoutPackageOf(db, orgId, id)).sections.map((s) => s.key) // ['engagement', 'goal', 'scope', 'promises']
 */
export async function closeoutPackageOf(
  db: Db,
  orgId: string,
  engagementId: string,
): Promise<CloseoutPackage> {
  const sections: PackageSection[] = [];
  for (const source of PACKAGE_SOURCES) sections.push(...(await source(db, orgId, engagementId)));
  return { engagement_id: engagementId, sections };
}
