import { appendAudit } from '../../audit/append-audit.js';
import type { Actor } from '../../kernel/actor.js';
import type { Tx } from '../../kernel/context.js';
import type { EngagementsTable } from '../../kernel/db/schema.js';
import { stageAfter } from '../domain/journey-stage.js';

/**
 * What a handoff does to its engagement, inside the handoff's transaction (its events' subscribers
 * in `journey-subscribers.ts` call these): it moves the engagement along its journey and records
 * its contract date. Each change is audited as an engagement change, linked to the handoff that
 * caused it.
 */
interface Cause {
  engagementId: string;
  handoffId: string;
}

type JourneyFields = Pick<EngagementsTable, 'stage' | 'contract_signed_at'>;

/**
 * A handoff opened from a stage puts an engagement that has none there (`entering`); an accepted
 * one moves it to the stage it hands over to (forward only, see `stageAfter`).
 */
export async function moveEngagementStage(
  trx: Tx,
  orgId: string,
  input: Cause & { target: string; stages: readonly string[]; entering: boolean },
  actor: Actor,
  at: Date,
): Promise<void> {
  await changeEngagement(trx, orgId, input, actor, at, (row) => {
    if (input.entering) return row.stage === null ? { stage: input.target } : undefined;
    const stage = stageAfter(row.stage, input.target, input.stages);
    return stage === undefined ? undefined : { stage };
  });
}

/** A `contract_signed` milestone recorded on one of its handoffs is the engagement's contract date. */
export async function recordContractSigned(
  trx: Tx,
  orgId: string,
  input: Cause & { signedAt: Date },
  actor: Actor,
  at: Date,
): Promise<void> {
  const signedAt = input.signedAt.toISOString();
  await changeEngagement(trx, orgId, input, actor, at, (row) =>
    row.contract_signed_at === signedAt ? undefined : { contract_signed_at: signedAt },
  );
}

/** Applies the change `decide` makes of the engagement's journey fields, if any, and audits it. */
async function changeEngagement(
  trx: Tx,
  orgId: string,
  cause: Cause,
  actor: Actor,
  at: Date,
  decide: (row: JourneyFields) => Partial<JourneyFields> | undefined,
): Promise<void> {
  const row = await trx
    .selectFrom('engagements')
    .select(['stage', 'contract_signed_at'])
    .where('org_id', '=', orgId)
    .where('id', '=', cause.engagementId)
    .executeTakeFirst();
  const change = row && decide(row);
  if (!row || !change) return;
  await trx
    .updateTable('engagements')
    .set({ ...change, updated_at: at.toISOString() })
    .where('org_id', '=', orgId)
    .where('id', '=', cause.engagementId)
    .execute();
  const before = Object.fromEntries(Object.keys(change).map((k) => [k, row[k as keyof JourneyFields]]));
  await appendAudit(trx, orgId, actor, at, {
    action: 'engagement.updated',
    entityType: 'engagement',
    entityId: cause.engagementId,
    engagementId: cause.engagementId,
    handoffId: cause.handoffId,
    before,
    after: change,
  });
}
