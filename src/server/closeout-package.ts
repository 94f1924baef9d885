import { loadAccount, loadEngagement } from '../accounts/public.js';
import { clientPackageRecordsOf, type FileTag, latestFilesOf } from '../closeout/public.js';
import type { Db } from '../kernel/context.js';
import type { CloseoutPackage, PackageSection } from '../portal/public.js';
import { engagementSubstance } from '../substance/public.js';

/**
 * One part of the closeout package: the sections a feature contributes for an engagement. Only
 * what the client may see: never a secret (the vault contributes nothing here).
 */
type SectionSource = (
  db: Db,
  orgId: string,
  engagementId: string,
  words: PackageWords,
) => Promise<PackageSection[]>;

/** How the package writes for the client: days in the organisation's locale (`29 Nov 2026`). */
interface PackageWords {
  day(day: string): string;
}

function packageWords(locale: string): PackageWords {
  const days = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return { day: (day) => days.format(new Date(`${day}T12:00:00Z`)) };
}

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

const TAG_TITLES: Record<FileTag, string> = {
  as_built: 'As-built drawing',
  network_map: 'Network map',
  contract: 'Contract',
  photo: 'Photo',
  other: 'Document',
};

/** "2.4 MB": a size as people read it (decimal units, as file managers show them). */
function sizeWords(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

// The latest version of every file: the client signs off these versions, by their SHA-256.
const filesSection: SectionSource = async (db, orgId, engagementId) => {
  const files = await latestFilesOf(db, orgId, engagementId);
  return [
    {
      key: 'files',
      title: 'Drawings and documents',
      items: files.map((f) => ({
        label: TAG_TITLES[f.tag],
        value: `${f.name}, version ${f.version}`,
        detail: `${sizeWords(f.size)}, SHA-256 ${f.sha256.slice(0, 12)}…`,
        file: { id: f.id, version: f.version },
      })),
    },
  ];
};

/** "Axis P3265-LVE": the words of a device that are present, joined. */
const words = (...parts: (string | null)[]) => parts.filter((p) => p?.trim()).join(' ');

// What was installed, what is covered until when, and who was trained on what.
const recordSections: SectionSource = async (db, orgId, engagementId, { day }) => {
  const { inventory, warranties, training } = await clientPackageRecordsOf(db, orgId, engagementId);
  return [
    {
      key: 'inventory',
      title: 'What was installed',
      items: inventory.map((i) => ({
        label: words(i.type, i.make, i.model),
        value: i.serial ? `serial ${i.serial}` : null,
        detail:
          [
            i.location,
            i.network_address,
            i.firmware_version ? `firmware ${i.firmware_version}` : null,
            i.installed_on ? `installed ${day(i.installed_on)}` : null,
            i.warranty_until ? `warranty until ${day(i.warranty_until)}` : null,
          ]
            .filter(Boolean)
            .join(', ') || null,
      })),
    },
    {
      key: 'warranties',
      title: 'Warranties and support contracts',
      items: warranties.map((w) => ({
        label: `${w.kind === 'support_contract' ? 'Support contract' : 'Warranty'}: ${w.provider}`,
        value: `until ${day(w.expires_on)}`,
        detail: [w.reference, w.covers].filter(Boolean).join(', ') || null,
      })),
    },
    {
      key: 'training',
      title: 'Training',
      items: training.map((t) => ({
        label: t.trainee_name,
        value: t.product,
        detail: `trained on ${day(t.trained_on)}`,
      })),
    },
  ];
};

/**
 * The sources of the closeout package, in the order the client reads them: never the vault, nor
 * the team's own records (punch list, debrief).
 */
const PACKAGE_SOURCES: readonly SectionSource[] = [
  engagementSection,
  substanceSections,
  filesSection,
  recordSections,
];

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
  const org = await db
    .selectFrom('organisations')
    .select('locale')
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
  const words = packageWords(org.locale);
  const sections: PackageSection[] = [];
  for (const source of PACKAGE_SOURCES) sections.push(...(await source(db, orgId, engagementId, words)));
  return { engagement_id: engagementId, sections };
}
