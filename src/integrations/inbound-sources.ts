import { randomBytes } from 'node:crypto';
import type { Db } from '../kernel/context.js';
import type { InboundEventsTable, IntegrationSourcesTable } from '../kernel/db/schema.js';
import type { ErrorDetail } from '../kernel/errors.js';
import { isId, newId } from '../kernel/ids.js';
import { preparedQuery } from '../kernel/prepared-query.js';
import { openSecret, sealSecret } from '../vault/data-keys.js';
import type { Keyring } from '../vault/keyring.js';

/**
 * The store side of inbound sources, shared by every inbound endpoint (CRM deals, status hooks,
 * inquiries): a source read by the id in the path, its secret sealed and opened by the vault, and
 * the record of each event it sent (docs/integrations-inbound.md).
 */

export type SourceRow = IntegrationSourcesTable;

/** An enabled or disabled source by the id of an inbound URL (any organisation: the id is the credential's first half). */
export async function loadInboundSource(db: Db, id: string): Promise<SourceRow | undefined> {
  if (!isId(id)) return undefined;
  return sourceById.first(db, { id });
}

// The inbound route's statements, built and compiled once (each request runs them).
const sourceById = preparedQuery((db, v: { id: string }) =>
  db.selectFrom('integration_sources').selectAll().where('id', '=', v.id),
);
const insertEvent = preparedQuery((db, v: InboundEventsTable) =>
  db
    .insertInto('inbound_events')
    .values({
      id: v.id,
      org_id: v.org_id,
      source_id: v.source_id,
      external_id: v.external_id,
      received_at: v.received_at,
      outcome: v.outcome,
      problems: v.problems,
      result: v.result,
      summary: v.summary,
      handoff_id: v.handoff_id,
    })
    .onConflict((oc) => oc.columns(['source_id', 'external_id']).doNothing())
    .returning('id'),
);
const completeEvent = preparedQuery(
  (db, v: Pick<InboundEventsTable, 'id' | 'outcome' | 'problems' | 'result' | 'summary' | 'handoff_id'>) =>
    db
      .updateTable('inbound_events')
      .set({
        outcome: v.outcome,
        problems: v.problems,
        result: v.result,
        summary: v.summary,
        handoff_id: v.handoff_id,
      })
      .where('id', '=', v.id),
);

/** A new secret for a sender that takes ours: `bis_` and 32 random bytes, base64url. */
export function newSourceSecret(): string {
  return `bis_${randomBytes(32).toString('base64url')}`;
}

const bindingOf = (orgId: string, id: string) => ({
  orgId,
  table: 'integration_sources',
  rowId: id,
  field: 'secret',
});

/** The secret's columns, sealed with the organisation's data key. */
export async function sealSourceSecret(
  db: Db,
  keyring: Keyring | undefined,
  source: { orgId: string; id: string },
  secret: string,
  now: Date,
): Promise<
  Pick<SourceRow, 'secret_ciphertext' | 'secret_iv' | 'secret_tag' | 'data_key_id' | 'secret_updated_at'>
> {
  const sealed = await sealSecret(db, keyring, bindingOf(source.orgId, source.id), secret, now);
  return {
    secret_ciphertext: sealed.ciphertext,
    secret_iv: sealed.iv,
    secret_tag: sealed.tag,
    data_key_id: sealed.dataKeyId,
    secret_updated_at: now.toISOString(),
  };
}

// Opened secrets by source, while the sealed value is the same: an inbound request does not unwrap
// the data key again (the sealed value changes on rotation, so a stale entry is never used).
const opened = new Map<string, { ciphertext: string; secret: string }>();

/** The source's secret in clear, or null when it has none. */
export async function openSourceSecret(
  db: Db,
  keyring: Keyring | undefined,
  row: SourceRow,
): Promise<string | null> {
  if (!row.secret_ciphertext || !row.secret_iv || !row.secret_tag || !row.data_key_id) return null;
  const cached = opened.get(row.id);
  if (cached?.ciphertext === row.secret_ciphertext) return cached.secret;
  const secret = await openSecret(db, keyring, bindingOf(row.org_id, row.id), {
    ciphertext: row.secret_ciphertext,
    iv: row.secret_iv,
    tag: row.secret_tag,
    dataKeyId: row.data_key_id,
  });
  if (opened.size > 10_000) opened.clear();
  opened.set(row.id, { ciphertext: row.secret_ciphertext, secret });
  return secret;
}

export type InboundOutcome = 'created' | 'recorded' | 'refused';

export interface InboundEventInput {
  source: Pick<SourceRow, 'id' | 'org_id'>;
  externalId: string | null;
  outcome: InboundOutcome;
  problems: readonly ErrorDetail[];
  result?: Record<string, unknown>;
  summary: string;
  handoffId?: string | null;
  now: Date;
}

function eventRow(input: InboundEventInput): InboundEventsTable {
  return {
    id: newId(),
    org_id: input.source.org_id,
    source_id: input.source.id,
    external_id: input.externalId,
    received_at: input.now.toISOString(),
    outcome: input.outcome,
    problems: JSON.stringify(input.problems.map((p) => ({ path: p.path, message: p.message }))),
    result: JSON.stringify(input.result ?? {}),
    summary: input.summary.slice(0, 500),
    handoff_id: input.handoffId ?? null,
  };
}

/**
 * Records an event a source sent. With an external id, a repeat of it records nothing and answers
 * null (the unique (source, external id) decides, so two deliveries racing agree): the caller says
 * `duplicate` and does nothing. Without one (a request refused before it could be read), it is
 * always recorded.
 */
export async function recordInboundEvent(db: Db, input: InboundEventInput): Promise<string | null> {
  const row = eventRow(input);
  const inserted = await insertEvent.first(db, row);
  return inserted?.id ?? null;
}

/** Completes a recorded event once what it created is known (in the same transaction). */
export async function completeInboundEvent(
  db: Db,
  id: string,
  update: {
    outcome: InboundOutcome;
    problems: readonly ErrorDetail[];
    result: Record<string, unknown>;
    summary: string;
    handoffId?: string | null;
  },
): Promise<void> {
  await completeEvent.rows(db, {
    id,
    outcome: update.outcome,
    problems: JSON.stringify(update.problems.map((p) => ({ path: p.path, message: p.message }))),
    result: JSON.stringify(update.result),
    summary: update.summary.slice(0, 500),
    handoff_id: update.handoffId ?? null,
  });
}
