import type { Insertable } from 'kysely';
import { resolveAccountReferences } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import type { SignalsTable } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { scheduleHealthScores } from '../health-scores-job.js';
import { scheduleQuietCheck } from '../quiet-accounts-job.js';
import type { SignalBatchResult, SignalInput } from '../signal-schema.js';

/** Rows per multi-row insert: 500 rows × 10 columns stays far below both databases' parameter limits. */
const ROWS_PER_INSERT = 500;

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
  const { accountIds, errors } = await resolveAccountReferences(
    deps.store.db,
    orgId,
    signals,
    (i) => `/signals/${i}`,
  );
  const now = deps.clock.now();
  const received = now.toISOString();
  const rows: Insertable<SignalsTable>[] = [];
  signals.forEach((s, i) => {
    const accountId = accountIds[i];
    if (accountId === undefined) return;
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
