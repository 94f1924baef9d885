import type { HandoffEventType } from '../../handoffs/public.js';
import type { Tx } from '../../kernel/context.js';
import type { HandoffFactsTable } from '../../kernel/db/schema.js';
import type { EventOf } from '../../kernel/event-types.js';
import { newId } from '../../kernel/ids.js';
import { secondsBetween } from '../domain/fact-rows.js';
import { markMonths } from '../rollups/mark-months.js';
import type { FactDimensions } from './fact-rows.js';
import { periodOf } from './org-period.js';

/** Any handoff event, as published. */
export type HandoffEvent = { [K in HandoffEventType]: EventOf<K> }[HandoffEventType];

/** The columns every other fact copies from its handoff's, so each filters alone. */
export type HandoffDimensions = FactDimensions &
  Pick<
    HandoffFactsTable,
    | 'org_id'
    | 'engagement_id'
    | 'account_id'
    | 'contract_signed_at'
    | 'first_submitted_at'
    | 'accepted_at'
    | 'period'
    | 'created_period'
  >;

/**
 * The dimensions of the handoffs a transaction has read or written, so the facts of one change
 * (a handoff accepted, two checkpoints opened by it) read them once. Kept by transaction object
 * and forgotten with it; whatever a writer here changes of them it changes in the cache too.
 */
const known = new WeakMap<object, Map<string, HandoffDimensions>>();

function cacheOf(trx: Tx): Map<string, HandoffDimensions> {
  let cache = known.get(trx);
  if (!cache) {
    cache = new Map();
    known.set(trx, cache);
  }
  return cache;
}

function remember(trx: Tx, handoffId: string, change: Partial<HandoffDimensions>): void {
  const cache = cacheOf(trx);
  const dims = cache.get(handoffId);
  if (dims) cache.set(handoffId, { ...dims, ...change });
}

/** The handoff's fact dimensions; undefined for a handoff drafted before facts were kept. */
export async function dimensionsOf(trx: Tx, handoffId: string): Promise<HandoffDimensions | undefined> {
  const cache = cacheOf(trx);
  const cached = cache.get(handoffId);
  if (cached) return cached;
  const dims = await trx
    .selectFrom('handoff_facts')
    .select([
      'org_id',
      'engagement_id',
      'account_id',
      'playbook_id',
      'playbook_key',
      'playbook_version',
      'sending_team_id',
      'receiving_team_id',
      'sender_user_id',
      'contract_signed_at',
      'first_submitted_at',
      'accepted_at',
      'period',
      'created_period',
    ])
    .where('handoff_id', '=', handoffId)
    .executeTakeFirst();
  if (dims) cache.set(handoffId, dims);
  return dims;
}

/**
 * Keeps the handoff's row of `handoff_facts` in step with every handoff event, and writes a
 * `handoff_rejection_facts` row per rejection (docs/metrics.md, "Facts"). One statement per event
 * except where a duration needs the instant it starts from (the first submission, the acceptance).
 * The months whose roll-ups a change moves are marked (src/metrics/rollups/mark-months.ts).
 */
export async function recordHandoffFacts(trx: Tx, event: HandoffEvent): Promise<void> {
  const h = event.handoff;
  const at = event.at.toISOString();
  const moved = { state: h.state, updated_at: at };
  const update = () => trx.updateTable('handoff_facts').where('handoff_id', '=', h.id);
  switch (event.type) {
    case 'handoff.created': {
      const engagement = await trx
        .selectFrom('engagements')
        .select(['account_id', 'contract_signed_at'])
        .where('id', '=', h.engagement_id)
        .executeTakeFirstOrThrow();
      const row = {
        handoff_id: h.id,
        org_id: h.org_id,
        engagement_id: h.engagement_id,
        account_id: engagement.account_id,
        playbook_id: h.playbook_id,
        playbook_key: h.playbook_key,
        playbook_version: h.playbook_version,
        transition_key: h.transition_key,
        sending_team_id: h.sending_team_id,
        receiving_team_id: h.receiving_team_id,
        sender_user_id: h.created_by,
        state: h.state,
        created_period: await periodOf(trx, h.org_id, event.at),
        period: null,
        created_at: h.created_at,
        contract_signed_at: engagement.contract_signed_at,
        first_submitted_at: null,
        accepted_at: null,
        kickoff_at: null,
        closed_at: null,
        signed_to_submitted_s: null,
        submitted_to_accepted_s: null,
        accepted_to_kickoff_s: null,
        last_question_revision: null,
        first_pass: null,
        updated_at: at,
      };
      await trx.insertInto('handoff_facts').values(row).execute();
      cacheOf(trx).set(h.id, row);
      await markMonths(trx, h.org_id, [row.created_period]);
      return;
    }
    case 'handoff.submitted': {
      const facts = await dimensionsOf(trx, h.id);
      if (!facts) return;
      if (facts.first_submitted_at !== null) {
        await update()
          .set((eb) => ({ ...moved, submissions: eb('submissions', '+', 1) }))
          .execute();
        return;
      }
      const sender = event.actor.type === 'user' && event.actor.id ? event.actor.id : h.created_by;
      const period = await periodOf(trx, h.org_id, event.at);
      remember(trx, h.id, { first_submitted_at: at, sender_user_id: sender, period });
      await markMonths(trx, h.org_id, [facts.created_period, period]);
      await update()
        .set((eb) => ({
          ...moved,
          submissions: eb('submissions', '+', 1),
          first_submitted_at: at,
          sender_user_id: sender,
          signed_to_submitted_s: secondsBetween(facts.contract_signed_at, at),
        }))
        .set({ period })
        .execute();
      return;
    }
    case 'handoff.question_asked': {
      const revision = event.question.revision;
      await update()
        .set((eb) => ({
          ...moved,
          questions: eb('questions', '+', 1),
          question_rounds: eb(
            'question_rounds',
            '+',
            eb
              .case()
              .when(
                eb.or([
                  eb('last_question_revision', 'is', null),
                  eb('last_question_revision', '<', revision),
                ]),
              )
              .then(1)
              .else(0)
              .end(),
          ),
          last_question_revision: eb
            .case()
            .when(
              eb.or([eb('last_question_revision', 'is', null), eb('last_question_revision', '<', revision)]),
            )
            .then(revision)
            .else(eb.ref('last_question_revision'))
            .end(),
        }))
        .returning('period')
        .executeTakeFirst()
        .then((row) => markMonths(trx, h.org_id, [row?.period]));
      return;
    }
    case 'handoff.rejected': {
      const facts = await dimensionsOf(trx, h.id);
      if (!facts) return;
      await update()
        .set((eb) => ({ ...moved, rejections: eb('rejections', '+', 1), first_pass: 0 }))
        .execute();
      const period = await periodOf(trx, h.org_id, event.at);
      await markMonths(trx, h.org_id, [facts.period, period]);
      await trx
        .insertInto('handoff_rejection_facts')
        .values({
          id: newId(),
          org_id: h.org_id,
          handoff_id: h.id,
          reason: event.reasonCode,
          revision: h.revision,
          at,
          period,
          playbook_id: facts.playbook_id,
          sending_team_id: facts.sending_team_id,
          receiving_team_id: facts.receiving_team_id,
          sender_user_id: facts.sender_user_id,
        })
        .execute();
      return;
    }
    case 'handoff.accepted': {
      const facts = await dimensionsOf(trx, h.id);
      if (!facts) return;
      remember(trx, h.id, { accepted_at: at });
      await markMonths(trx, h.org_id, [facts.period, facts.created_period]);
      await update()
        .set((eb) => ({
          ...moved,
          accepted_at: at,
          submitted_to_accepted_s: secondsBetween(facts.first_submitted_at, at),
          first_pass: eb.case().when('rejections', '=', 0).then(1).else(0).end(),
        }))
        .execute();
      return;
    }
    case 'handoff.closed': {
      const row = await update()
        .set({ ...moved, closed_at: at })
        .returning(['period', 'created_period'])
        .executeTakeFirst();
      if (row) await markMonths(trx, h.org_id, [row.period, row.created_period]);
      return;
    }
    default:
      // Every other event (edited, answered, amended, withdrawn, delivery started, reminded) may
      // only move the state.
      if (event.type === 'handoff.review_overdue') return;
      await update().set(moved).where('state', '<>', h.state).execute();
  }
}

/** A contract date recorded (or moved) on a handoff moves the clock that starts from it. */
export async function recordContractSigned(trx: Tx, event: EventOf<'milestone.recorded'>): Promise<void> {
  if (event.key !== 'contract_signed') return;
  const facts = await dimensionsOf(trx, event.handoff.id);
  if (!facts) return;
  remember(trx, event.handoff.id, { contract_signed_at: event.milestoneAt });
  await markMonths(trx, facts.org_id, [facts.period]);
  await trx
    .updateTable('handoff_facts')
    .set({
      contract_signed_at: event.milestoneAt,
      signed_to_submitted_s: secondsBetween(event.milestoneAt, facts.first_submitted_at),
      updated_at: event.at.toISOString(),
    })
    .where('handoff_id', '=', event.handoff.id)
    .execute();
}
