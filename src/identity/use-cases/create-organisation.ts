import { appendAudit } from '../../audit/append-audit.js';
import { GENESIS_HASH } from '../../audit/domain/chain.js';
import type { Actor } from '../../kernel/actor.js';
import { type Deps, inTransaction, type Tx } from '../../kernel/context.js';
import { isUniqueViolation } from '../../kernel/db/dialect.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { CreatedUser } from '../user-schema.js';
import { createUserInTx } from './add-user.js';

export interface CreateOrganisationInput {
  name: string;
  slug?: string;
  timeZone?: string;
  adminEmail?: string;
  adminName?: string;
}

export interface CreatedOrganisation {
  organisation: { id: string; slug: string; name: string; timeZone: string };
  teams: { id: string; key: string; name: string }[];
  playbooks: { key: string; version: number }[];
  admin: CreatedUser;
}

/**
 * What a new organisation starts with beyond its teams and first admin, done in the transaction
 * that creates it, after the `organisation.created` entry: the composition root installs the
 * built-in playbooks (`src/server/create-organisation.ts`). Answers what it installed and the
 * teams that needs, which the organisation is given beside sales, operations and service.
 */
export type OrganisationSetUp = (
  trx: Tx,
  orgId: string,
  actor: Actor,
  at: Date,
) => Promise<{ playbooks: { key: string; version: number }[]; teamKeys: readonly string[] }>;

/** Turns a name into a URL-safe slug: "Acme Security, Inc." → "acme-security-inc". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
}

const TEAM_NAMES: Record<string, string> = {
  sales: 'Sales',
  operations: 'Operations',
  service: 'Service',
  admissions: 'Admissions',
  care: 'Care staff',
};

/**
 * Creates an organisation with what `setUp` gives it (the built-in playbooks, from the composition
 * root), one team per team that names, and a first admin user whose API token is returned (shown
 * once). Callers use `src/server/create-organisation.ts`, which passes the set-up.
 *
 * Example: `await createOrganisation(deps, { name: 'Acme' }, installBuiltinPlaybooks)`.
 */
export async function createOrganisation(
  deps: Deps,
  input: CreateOrganisationInput,
  setUp: OrganisationSetUp,
): Promise<CreatedOrganisation> {
  const name = input.name.trim();
  const slug = input.slug ?? slugify(name);
  const errors = [];
  if (!name) errors.push({ path: '/name', message: 'Name must not be empty' });
  if (!/^[a-z0-9][a-z0-9-]{0,47}$/.test(slug)) {
    errors.push({ path: '/slug', message: 'Slug must be lower-case letters, digits and dashes (max 48)' });
  }
  const timeZone = input.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) errors.push({ path: '/time_zone', message: `Unknown time zone ${timeZone}` });
  if (errors.length) throw new AppError('validation_failed', 'The organisation is not valid.', errors);

  const now = deps.clock.now();
  try {
    return await inTransaction(deps, async (trx) => {
      const orgId = newId();
      await trx
        .insertInto('organisations')
        .values({
          id: orgId,
          slug,
          name,
          time_zone: timeZone,
          audit_seq: 0,
          audit_head: GENESIS_HASH,
          created_at: now.toISOString(),
        })
        .execute();
      const system = { type: 'system' as const, id: null };
      await appendAudit(trx, orgId, system, now, {
        action: 'organisation.created',
        entityType: 'organisation',
        entityId: orgId,
        after: { slug, name, timeZone },
      });
      const { playbooks, teamKeys: needed } = await setUp(trx, orgId, system, now);
      const teamKeys = new Set<string>(['sales', 'operations', 'service', ...needed]);
      const teams = [];
      for (const key of teamKeys) {
        const team = { id: newId(), key, name: TEAM_NAMES[key] ?? key };
        await trx
          .insertInto('teams')
          .values({ ...team, org_id: orgId, created_at: now.toISOString() })
          .execute();
        await appendAudit(trx, orgId, system, now, {
          action: 'team.created',
          entityType: 'team',
          entityId: team.id,
          after: { key, name: team.name },
        });
        teams.push(team);
      }
      const admin = await createUserInTx(trx, orgId, system, now, {
        email: input.adminEmail ?? `admin@${slug}.example`,
        name: input.adminName ?? 'Administrator',
        role: 'admin',
        teamKeys: [],
      });
      return { organisation: { id: orgId, slug, name, timeZone }, teams, playbooks, admin };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', `An organisation with slug ${slug} already exists.`, [
        { path: '/slug', message: 'already taken' },
      ]);
    }
    throw error;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
