import type { Tx } from '../../kernel/context.js';
import type { PromisesTable } from '../../kernel/db/schema.js';
import type { EventOf } from '../../kernel/event-types.js';
import { markMonths } from '../rollups/mark-months.js';
import { promiseFactRow } from './fact-rows.js';
import { dimensionsOf } from './handoff-facts.js';
import { periodOf } from './org-period.js';

/** A promise made, its status moved, or taken back: `promise_facts` follows it, and its month is marked. */
export async function recordPromiseFacts(
  trx: Tx,
  event: EventOf<'promise.recorded'> | EventOf<'promise.updated'> | EventOf<'promise.removed'>,
): Promise<void> {
  const p = event.promise;
  // Taken back or moved: the row goes or changes, and the month it was counted in is marked.
  const changed =
    event.type === 'promise.removed'
      ? trx.deleteFrom('promise_facts').where('promise_id', '=', p.id).returning('period')
      : event.type === 'promise.updated'
        ? trx
            .updateTable('promise_facts')
            .set({ status: p.status, updated_at: event.at.toISOString() })
            .where('promise_id', '=', p.id)
            .returning('period')
        : undefined;
  if (changed) {
    const rows = await changed.execute();
    await markMonths(
      trx,
      p.org_id,
      rows.map((r) => r.period),
    );
    return;
  }
  await insertPromiseFacts(trx, [p], event.at);
}

/** One `promise_facts` row per promise (all of one handoff, or of none), in one insert. */
async function insertPromiseFacts(trx: Tx, promises: readonly PromisesTable[], at: Date): Promise<void> {
  const handoffId = promises[0]!.handoff_id;
  const dims = handoffId === null ? undefined : await dimensionsOf(trx, handoffId);
  const rows = [];
  for (const p of promises)
    rows.push(promiseFactRow(p, dims, await periodOf(trx, p.org_id, p.created_at), at.toISOString()));
  await trx
    .insertInto('promise_facts')
    .values(rows)
    .onConflict((oc) => oc.column('promise_id').doNothing())
    .execute();
  await markMonths(
    trx,
    promises[0]!.org_id,
    rows.map((r) => r.period),
  );
}

/** A packet's promises added or removed: `promise_facts` follows them, in one insert and one delete. */
export async function recordReconciledPromises(
  trx: Tx,
  event: EventOf<'promises.reconciled'>,
): Promise<void> {
  if (event.removed.length > 0) {
    const gone = await trx
      .deleteFrom('promise_facts')
      .where('promise_id', 'in', [...event.removed])
      .returning(['org_id', 'period'])
      .execute();
    for (const row of gone) await markMonths(trx, row.org_id, [row.period]);
  }
  if (event.added.length === 0) return;
  await insertPromiseFacts(trx, event.added, event.at);
}

/** A client's answer to the closeout survey: one `survey_facts` row (CSAT, NPS), its month marked. */
export async function recordSurveyFacts(trx: Tx, event: EventOf<'survey.answered'>): Promise<void> {
  const r = event.response;
  const period = await periodOf(trx, r.org_id, r.answered_at);
  const engagement = await trx
    .selectFrom('engagements')
    .select('account_id')
    .where('id', '=', r.engagement_id)
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('survey_facts')
    .values({
      response_id: r.id,
      org_id: r.org_id,
      engagement_id: r.engagement_id,
      account_id: engagement.account_id,
      csat: Number(r.csat),
      nps: Number(r.nps),
      answered_at: r.answered_at,
      period,
    })
    .onConflict((oc) => oc.column('response_id').doNothing())
    .execute();
  await markMonths(trx, r.org_id, [period]);
}
