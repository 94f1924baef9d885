import type { Insertable } from 'kysely';
import { type Db, type Deps, inTransaction } from '../../kernel/context.js';
import type { SignalsTable } from '../../kernel/db/schema.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { scheduleHealthScores } from '../health-scores-job.js';
import { scheduleQuietCheck } from '../quiet-accounts-job.js';
import type { SignalBatchResult, SignalInput } from '../signal-schema.js';

/** Rows per multi-row insert: 500 rows × 10 columns stays far below both databases' parameter limits. */
const ROWS_PER_INSERT = 500;
/** Ids per `in (…)` lookup of the accounts a batch names. */
const IDS_PER_LOOKUP = 500;

/**
 * Stores a batch of signals, all or nothing. Every item must name an account of the caller's
 * organisation (by `account_id`, or `account_external_id` as `system:id`); if any does not, the
 * batch is refused whole (422) naming each bad item by its path, and nothing is written. Otherwise
 * the signals are written in multi-row inserts of 500 in one transaction, each `ON CONFLICT (org,
 * event_id) DO NOTHING`: a replayed batch, or an event repeated in it, is counted as a duplicate
 * and leaves the stored signal as it was. Also makes sure the organisation's daily quiet-account
 * check and health scoring are scheduled.
 *
 * @example
 * await ingestSignals(deps, principal, [{ event_id: 'e1', account_id, kind: 'usage', at }]) // { accepted: 1, duplicates: 0 }
 */
export async function ingestSignals(
  deps: Deps,
  principal: Principal,
  signals: readonly SignalInput[],
): Promise<SignalBatchResult> {
  requireCapability(principal, 'write_records', 'post signals');
  const orgId = principal.orgId;
  const accountOf = await resolveAccounts(deps.store.db, orgId, signals);
  const errors: ErrorDetail[] = [];
  const now = deps.clock.now();
  const received = now.toISOString();
  const rows: Insertable<SignalsTable>[] = [];
  signals.forEach((s, i) => {
    const problem = referenceProblem(s);
    if (problem) {
      errors.push({ path: `/signals/${i}`, code: 'account_reference', message: problem });
      return;
    }
    const accountId = accountOf.get(referenceKey(s));
    if (accountId === undefined) {
      const field = s.account_id !== undefined ? 'account_id' : 'account_external_id';
      errors.push({
        path: `/signals/${i}/${field}`,
        code: 'unknown_account',
        message: `No account of this organisation has ${field.replace('_', ' ')} "${s.account_id ?? s.account_external_id}".`,
      });
      return;
    }
    rows.push({
      id: newId(),
      org_id: orgId,
      event_id: s.event_id,
      account_id: accountId,
      kind: s.kind,
      at: new Date(s.at).toISOString(),
      value: s.value ?? null,
      feature: s.feature ?? null,
      csat: s.csat ?? null,
      received_at: received,
    });
  });
  if (errors.length > 0)
    throw new AppError(
      'unprocessable',
      `${errors.length} of the ${signals.length} signals cannot be accepted; none was stored.`,
      errors,
    );
  return inTransaction(deps, async (trx) => {
    let accepted = 0;
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const written = await trx
        .insertInto('signals')
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .onConflict((oc) => oc.columns(['org_id', 'event_id']).doNothing())
        .executeTakeFirst();
      accepted += Number(written.numInsertedOrUpdatedRows ?? 0n);
    }
    await scheduleQuietCheck(trx, orgId, now);
    await scheduleHealthScores(trx, orgId, now);
    const duplicates = rows.length - accepted;
    await publish(trx, {
      type: 'signal.batch_ingested',
      orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      accepted,
      duplicates,
    });
    return { accepted, duplicates };
  });
}

/** Why an item's account reference is not usable, whatever the accounts: none, both, or a malformed external id. */
function referenceProblem(s: SignalInput): string | null {
  if ((s.account_id === undefined) === (s.account_external_id === undefined))
    return 'Give exactly one of account_id and account_external_id.';
  if (s.account_external_id !== undefined && !/^[^:]+:.+$/.test(s.account_external_id))
    return 'account_external_id must be `system:id`, e.g. `salesforce:001A0000`.';
  return null;
}

const referenceKey = (s: SignalInput) =>
  s.account_id !== undefined ? `id:${s.account_id}` : externalKey(s.account_external_id!);

/** `system:id` as looked up: the system in lower case (as stored), the id as given. */
function externalKey(value: string): string {
  const colon = value.indexOf(':');
  return `ext:${value.slice(0, colon).toLowerCase()}:${value.slice(colon + 1)}`;
}

/** The Baton account id of each reference the batch makes that names an account of the organisation. */
async function resolveAccounts(
  db: Db,
  orgId: string,
  signals: readonly SignalInput[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const ids = [...new Set(signals.flatMap((s) => (s.account_id !== undefined ? [s.account_id] : [])))];
  for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
    const rows = await db
      .selectFrom('accounts')
      .select('id')
      .where('org_id', '=', orgId)
      .where('id', 'in', ids.slice(i, i + IDS_PER_LOOKUP))
      .execute();
    for (const r of rows) found.set(`id:${r.id}`, r.id);
  }
  const externals = [
    ...new Set(
      signals.flatMap((s) =>
        s.account_external_id !== undefined && referenceProblem(s) === null ? [s.account_external_id] : [],
      ),
    ),
  ];
  const byExternalId = [...new Set(externals.map((e) => e.slice(e.indexOf(':') + 1)))];
  for (let i = 0; i < byExternalId.length; i += IDS_PER_LOOKUP) {
    const rows = await db
      .selectFrom('record_external_ids')
      .select(['record_id', 'system', 'external_id'])
      .where('org_id', '=', orgId)
      .where('record_type', '=', 'account')
      .where('external_id', 'in', byExternalId.slice(i, i + IDS_PER_LOOKUP))
      .execute();
    for (const r of rows) found.set(externalKey(`${r.system}:${r.external_id}`), r.record_id);
  }
  return found;
}
