import type { Kysely } from 'kysely';
import { insertRows } from '../../kernel/batch-writes.js';
import type { Database, ReviewGapFactsTable } from '../../kernel/db/schema.js';
import { newId } from '../../kernel/ids.js';
import { kickoffHeldAt, localMonth } from '../domain/fact-rows.js';
import { markEveryMonth } from '../rollups/refresh-rollups.js';
import { checkpointFactRow, promiseFactRow, reviewGapRows } from './fact-rows.js';
import { handoffFactsOf } from './handoff-history.js';

const BATCH = 200;
const LIFECYCLE = ['handoff.submitted', 'handoff.rejected', 'handoff.accepted', 'handoff.closed'];

/**
 * Writes the facts of every handoff that has none (drafted before facts were kept, migration
 * 0030), with its rejections, checkpoints, review gaps and promises, from the live tables and the
 * audit log, a batch of handoffs per transaction; then the facts of promises recorded by hand
 * and of answered surveys that have none. Run on start after the migrations: with nothing to
 * write it is one indexed read per kind. Answers how many handoffs it wrote facts for.
 *
 * Example: `await backfillFacts(store.db)`.
 */
export async function backfillFacts(db: Kysely<Database>): Promise<number> {
  let written = 0;
  for (;;) {
    const ids = await db
      .selectFrom('handoffs')
      .leftJoin('handoff_facts', 'handoff_facts.handoff_id', 'handoffs.id')
      .where('handoff_facts.handoff_id', 'is', null)
      .select('handoffs.id')
      .orderBy('handoffs.id')
      .limit(BATCH)
      .execute();
    if (ids.length === 0) break;
    await db.transaction().execute((trx) =>
      backfillHandoffs(
        trx,
        ids.map((r) => r.id),
      ),
    );
    written += ids.length;
  }
  const loose = await db.transaction().execute(backfillLoosePromises);
  const surveys = await db.transaction().execute(backfillSurveys);
  // Facts written here carry no marks: their months are rolled up again.
  if (written + loose + surveys > 0) await markEveryMonth(db);
  return written;
}

async function backfillHandoffs(db: Kysely<Database>, ids: string[]): Promise<void> {
  const handoffs = await db
    .selectFrom('handoffs')
    .innerJoin('engagements', 'engagements.id', 'handoffs.engagement_id')
    .innerJoin('organisations', 'organisations.id', 'handoffs.org_id')
    .selectAll('handoffs')
    .select(['engagements.account_id', 'engagements.contract_signed_at', 'organisations.time_zone'])
    .where('handoffs.id', 'in', ids)
    .execute();
  const [pending, sealed, questions, checkpoints, milestones, promises] = await Promise.all([
    db
      .selectFrom('audit_pending')
      .select(['handoff_id', 'action', 'at', 'actor_id', 'after'])
      .where('handoff_id', 'in', ids)
      .where('action', 'in', LIFECYCLE)
      .execute(),
    db
      .selectFrom('audit_log')
      .select(['handoff_id', 'action', 'at', 'actor_id', 'after'])
      .where('handoff_id', 'in', ids)
      .where('action', 'in', LIFECYCLE)
      .execute(),
    db.selectFrom('questions').select(['handoff_id', 'revision']).where('handoff_id', 'in', ids).execute(),
    db.selectFrom('checkpoints').selectAll().where('handoff_id', 'in', ids).execute(),
    db
      .selectFrom('milestones')
      .select(['handoff_id', 'at'])
      .where('handoff_id', 'in', ids)
      .where('key', '=', 'contract_signed')
      .execute(),
    db
      .selectFrom('promises')
      .leftJoin('promise_facts', 'promise_facts.promise_id', 'promises.id')
      .where('promise_facts.promise_id', 'is', null)
      .selectAll('promises')
      .where('promises.handoff_id', 'in', ids)
      .execute(),
  ]);
  const entries = [...pending, ...sealed].sort((a, b) => a.at.localeCompare(b.at));
  const factsRows = [];
  const rejectionRows = [];
  const checkpointRows = [];
  const gapRows: ReviewGapFactsTable[] = [];
  const zoneOf = new Map<string, string>();
  const dims = new Map<string, ReturnType<typeof handoffFactsOf>['facts']>();
  for (const h of handoffs) {
    zoneOf.set(h.id, h.time_zone);
    const own = checkpoints.filter((c) => c.handoff_id === h.id);
    const kickoff = own.map((c) => (c.state === 'done' ? kickoffHeldAt(c) : null)).find((at) => at !== null);
    const { facts, rejections } = handoffFactsOf(
      {
        handoff: h,
        accountId: h.account_id,
        contractSignedAt: milestones.find((m) => m.handoff_id === h.id)?.at ?? h.contract_signed_at,
        entries: entries
          .filter((e) => e.handoff_id === h.id)
          .map((e) => ({ ...e, after: e.after === null ? null : JSON.parse(e.after) })),
        questionRevisions: questions.filter((q) => q.handoff_id === h.id).map((q) => Number(q.revision)),
        kickoffAt: kickoff ?? null,
        timeZone: h.time_zone,
      },
      newId,
    );
    factsRows.push(facts);
    rejectionRows.push(...rejections);
    dims.set(h.id, facts);
  }
  for (const c of checkpoints) {
    const d = dims.get(c.handoff_id)!;
    const zone = zoneOf.get(c.handoff_id)!;
    checkpointRows.push(checkpointFactRow(c, d, localMonth(new Date(c.due_at), zone), c.completed_at));
    if (c.state !== 'done') continue;
    gapRows.push(...reviewGapRows(c, d, localMonth(new Date(c.completed_at!), zone), c.completed_at!));
  }
  await insertRows(db, 'handoff_facts', factsRows);
  await insertRows(db, 'handoff_rejection_facts', rejectionRows);
  await insertRows(db, 'checkpoint_facts', checkpointRows);
  await insertRows(db, 'review_gap_facts', gapRows);
  await insertRows(
    db,
    'promise_facts',
    promises.map((p) =>
      promiseFactRow(
        p,
        dims.get(p.handoff_id!),
        localMonth(new Date(p.created_at), zoneOf.get(p.handoff_id!)!),
        p.updated_at,
      ),
    ),
  );
}

/** Promises recorded by hand on an engagement, tied to no handoff, that have no facts. */
async function backfillLoosePromises(db: Kysely<Database>): Promise<number> {
  const promises = await db
    .selectFrom('promises')
    .leftJoin('promise_facts', 'promise_facts.promise_id', 'promises.id')
    .innerJoin('organisations', 'organisations.id', 'promises.org_id')
    .where('promise_facts.promise_id', 'is', null)
    .where('promises.handoff_id', 'is', null)
    .selectAll('promises')
    .select('organisations.time_zone')
    .execute();
  await insertRows(
    db,
    'promise_facts',
    promises.map(({ time_zone, ...p }) =>
      promiseFactRow(p, undefined, localMonth(new Date(p.created_at), time_zone), p.updated_at),
    ),
  );
  return promises.length;
}

/** Answered surveys that have no facts. */
async function backfillSurveys(db: Kysely<Database>): Promise<number> {
  const responses = await db
    .selectFrom('survey_responses')
    .leftJoin('survey_facts', 'survey_facts.response_id', 'survey_responses.id')
    .innerJoin('engagements', 'engagements.id', 'survey_responses.engagement_id')
    .innerJoin('organisations', 'organisations.id', 'survey_responses.org_id')
    .where('survey_facts.response_id', 'is', null)
    .selectAll('survey_responses')
    .select(['engagements.account_id', 'organisations.time_zone'])
    .execute();
  await insertRows(
    db,
    'survey_facts',
    responses.map((r) => ({
      response_id: r.id,
      org_id: r.org_id,
      engagement_id: r.engagement_id,
      account_id: r.account_id,
      csat: Number(r.csat),
      nps: Number(r.nps),
      answered_at: r.answered_at,
      period: localMonth(new Date(r.answered_at), r.time_zone),
    })),
  );
  return responses.length;
}
