import { appendAudit } from '../../audit/append-audit.js';
import { GENESIS_HASH } from '../../audit/domain/chain.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { isUniqueViolation } from '../../kernel/db/dialect.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { loadBuiltinPlaybooks } from '../../playbooks/builtin/load-builtins.js';
import { installPlaybook } from '../../playbooks/use-cases/install-playbook.js';
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
 * Creates an organisation with its built-in playbooks, one team per team the playbooks name,
 * and a first admin user whose API token is returned (shown once).
 */
export async function createOrganisation(
  deps: Deps,
  input: CreateOrganisationInput,
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

  const builtins = loadBuiltinPlaybooks();
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
      const playbooks = [];
      const teamKeys = new Set<string>(['sales', 'operations', 'service']);
      for (const builtin of builtins) {
        const installed = await installPlaybook(trx, orgId, system, now, {
          source: builtin.source,
          playbook: builtin.playbook,
          builtin: true,
        });
        playbooks.push({ key: installed.key, version: installed.version });
        for (const t of builtin.playbook.transitions) {
          teamKeys.add(t.senderTeam);
          teamKeys.add(t.receiverTeam);
        }
      }
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
