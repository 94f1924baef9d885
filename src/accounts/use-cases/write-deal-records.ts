import { sql } from 'kysely';
import { appendAudit } from '../../audit/append-audit.js';
import type { Actor } from '../../kernel/actor.js';
import type { Tx } from '../../kernel/context.js';
import { dialectOf } from '../../kernel/db/dialect.js';
import type { ErrorDetail } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { preparedQuery } from '../../kernel/prepared-query.js';
import {
  checkEmail,
  checkExternalIds,
  checkInstant,
  checkOptionalText,
  checkRequiredText,
  normaliseEmail,
  normaliseExternalIds,
  normaliseInstant,
  optionalText,
} from '../domain/field-checks.js';
import type { RecordType } from './external-id-records.js';
import { storeExternalIds } from './external-id-records.js';

/** The records a won deal names, as a CRM's mapping read them (`src/integrations/`). */
export interface DealRecordsInput {
  account: { name: string; external_ids: Record<string, string> };
  engagement: { name: string; external_ids: Record<string, string>; contract_signed_at?: string | null };
  /** Absent when the deal names no person. */
  contact?: {
    name: string;
    email?: string | null;
    phone?: string | null;
    title?: string | null;
    external_ids: Record<string, string>;
  };
}

export interface DealRecords {
  account: { id: string; created: boolean };
  engagement: { id: string; created: boolean; name: string };
  contact: { id: string; created: boolean } | null;
  /** Values left out because they are not valid (by path in the input). */
  problems: ErrorDetail[];
}

/**
 * Writes the account, engagement and contact a won deal names, in the caller's transaction: each is
 * matched by one of its external ids in the organisation (the account, engagement or contact the
 * CRM sent before) or created. A value that is not valid is left out and named in `problems`,
 * never written half-checked; a record is never created without its required name.
 */
export async function writeDealRecords(
  trx: Tx,
  orgId: string,
  actor: Actor,
  now: Date,
  input: DealRecordsInput,
): Promise<DealRecords> {
  const problems: ErrorDetail[] = [];
  const at = now.toISOString();
  const keep = (errors: ErrorDetail[]) => {
    problems.push(...errors);
    return errors.length === 0;
  };
  const ids = (path: string, value: Record<string, string>) =>
    keep(checkExternalIds(path, value)) ? normaliseExternalIds(value) : {};

  const accountIds = ids('/account/external_ids', input.account.external_ids);
  const engagementIds = ids('/engagement/external_ids', input.engagement.external_ids);
  await lockExternalIds(trx, orgId, {
    ...prefixed('account', accountIds),
    ...prefixed('engagement', engagementIds),
  });
  let accountId = await matchByExternalId(trx, orgId, 'account', accountIds);
  const account = { id: accountId ?? newId(), created: !accountId };
  if (!accountId) {
    const name = keep(checkRequiredText('/account/name', input.account.name, 300))
      ? input.account.name.trim()
      : input.account.name.trim().slice(0, 300) || 'Unnamed account';
    await trx
      .insertInto('accounts')
      .values({
        id: account.id,
        org_id: orgId,
        name,
        external_ids: JSON.stringify(accountIds),
        notes: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await storeExternalIds(trx, { orgId, type: 'account', id: account.id }, accountIds, false);
    await appendAudit(trx, orgId, actor, now, {
      action: 'account.created',
      entityType: 'account',
      entityId: account.id,
      after: { name, external_ids: accountIds, notes: null },
    });
    accountId = account.id;
  }

  const matched = await matchByExternalId(trx, orgId, 'engagement', engagementIds);
  let engagementName = input.engagement.name.trim().slice(0, 300) || 'Won deal';
  const engagement = { id: matched ?? newId(), created: !matched, name: engagementName };
  if (matched) {
    const row = await trx
      .selectFrom('engagements')
      .select('name')
      .where('id', '=', matched)
      .executeTakeFirstOrThrow();
    engagement.name = row.name;
  } else {
    if (!keep(checkRequiredText('/engagement/name', input.engagement.name, 300)))
      engagementName = engagement.name;
    const signed = keep(checkInstant('/engagement/contract_signed_at', input.engagement.contract_signed_at))
      ? normaliseInstant(input.engagement.contract_signed_at)
      : null;
    await trx
      .insertInto('engagements')
      .values({
        id: engagement.id,
        org_id: orgId,
        account_id: accountId,
        name: engagementName,
        stage: null,
        owner_user_id: null,
        external_ids: JSON.stringify(engagementIds),
        contract_signed_at: signed,
        created_at: at,
        updated_at: at,
        service_lead_user_id: null,
        service_lead_introduced_at: null,
        closed_out_at: null,
        closed_out_by: null,
      })
      .execute();
    await storeExternalIds(trx, { orgId, type: 'engagement', id: engagement.id }, engagementIds, false);
    await appendAudit(trx, orgId, actor, now, {
      action: 'engagement.created',
      entityType: 'engagement',
      entityId: engagement.id,
      engagementId: engagement.id,
      after: {
        account_id: accountId,
        name: engagementName,
        stage: null,
        owner_id: null,
        external_ids: engagementIds,
        contract_signed_at: signed,
      },
    });
  }

  let contact: DealRecords['contact'] = null;
  if (input.contact) {
    const c = input.contact;
    const contactIds = ids('/contact/external_ids', c.external_ids);
    const found = await matchByExternalId(trx, orgId, 'contact', contactIds);
    if (found) contact = { id: found, created: false };
    else if (keep(checkRequiredText('/contact/name', c.name, 300))) {
      const email = keep(checkEmail('/contact/email', c.email)) ? normaliseEmail(c.email) : null;
      const phone = keep(checkOptionalText('/contact/phone', c.phone, 50)) ? optionalText(c.phone) : null;
      const title = keep(checkOptionalText('/contact/title', c.title, 200)) ? optionalText(c.title) : null;
      const row = {
        id: newId(),
        org_id: orgId,
        account_id: accountId,
        name: c.name.trim(),
        email,
        phone,
        title,
        role: 'buyer',
        external_ids: JSON.stringify(contactIds),
        created_at: at,
        updated_at: at,
      };
      await trx.insertInto('contacts').values(row).execute();
      await storeExternalIds(trx, { orgId, type: 'contact', id: row.id }, contactIds, false);
      await appendAudit(trx, orgId, actor, now, {
        action: 'contact.created',
        entityType: 'contact',
        entityId: row.id,
        after: {
          account_id: accountId,
          name: row.name,
          email,
          phone,
          title,
          role: row.role,
          external_ids: contactIds,
        },
      });
      contact = { id: row.id, created: true };
    }
  }
  return { account, engagement, contact, problems };
}

const prefixed = (type: string, ids: Record<string, string>) =>
  Object.fromEntries(Object.entries(ids).map(([system, id]) => [`${type}:${system}`, id]));

/**
 * Two deals racing for one new account (two deals of a company sent at once) would each find none
 * and each create one: on PostgreSQL each takes a transaction lock on the external ids it matches
 * first, so the second waits and then finds the first's. (SQLite runs one writer at a time.)
 */
async function lockExternalIds(trx: Tx, orgId: string, ids: Record<string, string>): Promise<void> {
  const keys = Object.entries(ids)
    .map(([kind, id]) => `${orgId}:${kind}:${id}`)
    .sort();
  if (keys.length === 0 || dialectOf(trx) !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(k)) from unnest(${keys}::text[]) as k`.execute(trx);
}

/** The organisation's record of the type that carries one of `ids` (system and id), if any. */
async function matchByExternalId(
  trx: Tx,
  orgId: string,
  type: RecordType,
  ids: Record<string, string>,
): Promise<string | undefined> {
  const entries = Object.entries(ids);
  if (entries.length === 0) return undefined;
  if (entries.length === 1) {
    const [system, externalId] = entries[0]!;
    return (await recordByExternalId.first(trx, { orgId, type, system, externalId }))?.record_id;
  }
  const row = await trx
    .selectFrom('record_external_ids')
    .select('record_id')
    .where('org_id', '=', orgId)
    .where('record_type', '=', type)
    .where((eb) =>
      eb.or(entries.map(([system, id]) => eb.and([eb('system', '=', system), eb('external_id', '=', id)]))),
    )
    .executeTakeFirst();
  return row?.record_id;
}

/** The common case, one id: built and compiled once (a CRM's every deal asks it three times). */
const recordByExternalId = preparedQuery(
  (db, v: { orgId: string; type: RecordType; system: string; externalId: string }) =>
    db
      .selectFrom('record_external_ids')
      .select('record_id')
      .where('org_id', '=', v.orgId)
      .where('record_type', '=', v.type)
      .where('system', '=', v.system)
      .where('external_id', '=', v.externalId)
      .limit(1),
);
