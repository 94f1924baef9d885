import { type Static, Type } from 'typebox';
import { SYSTEM } from '../kernel/actor.js';
import type { Db, Tx } from '../kernel/context.js';
import { publish } from '../kernel/events.js';
import { defineJob, type JobHandler } from '../scheduler/define-job.js';
import { enqueueDaily } from './daily-chain.js';
import { type HealthScore, scoreHealth } from './domain/health-score.js';
import { healthInputsOf, healthRulesOf, localDateOf, scoreRows, writeScores } from './health-records.js';

/** Accounts scored per run of the job, each run one transaction. */
export const ACCOUNTS_PER_BATCH = 200;

const Count = Type.Integer({ minimum: 0 });

/**
 * The payload: the organisation, and for every batch after the first, where the day's scoring is
 * (its date, the last account scored, the counts so far).
 */
const HealthRun = Type.Object({
  orgId: Type.String({ minLength: 1 }),
  run: Type.Optional(
    Type.Object({
      scoredOn: Type.String({ minLength: 10, maxLength: 10 }),
      after: Type.String({ minLength: 1 }),
      scored: Count,
      unscored: Count,
      healthy: Count,
      watch: Count,
      atRisk: Count,
    }),
  ),
});
type HealthRunPayload = Static<typeof HealthRun>;
type Totals = NonNullable<HealthRunPayload['run']>;

/**
 * The organisation's daily health scoring. Every account that has a signal is scored at the
 * moment of the run under the organisation's rules, and its score written for the day (the
 * organisation's local date), replacing one written earlier that day. Accounts go in batches of
 * `ACCOUNTS_PER_BATCH` in id order, one transaction each: a batch scores its accounts and, if
 * more remain, puts the next batch in the outbox in the same transaction, carrying the day and
 * the counts so far; the last publishes `health.scored` with the day's counts (unless there was no
 * account to score). The first batch schedules the next day's run, so the chain goes on as the
 * quiet check's does.
 */
const scoreAccounts: JobHandler<HealthRunPayload> = {
  async commit(trx, job, now) {
    const { orgId } = job.payload;
    const first = job.payload.run === undefined;
    if (first) await enqueueDaily(trx, healthScoresJob, { orgId }, now);
    const totals: Totals = job.payload.run ?? {
      scoredOn: await localDateOf(trx, orgId, now),
      after: '',
      scored: 0,
      unscored: 0,
      healthy: 0,
      watch: 0,
      atRisk: 0,
    };
    const accounts = await accountsWithSignals(trx, orgId, totals.after, ACCOUNTS_PER_BATCH);
    const scores = await scoreBatch(trx, orgId, accounts, now);
    await writeScores(trx, scoreRows(orgId, totals.scoredOn, scores, now));
    for (const s of scores.values()) {
      if (s.band === null) totals.unscored++;
      else {
        totals.scored++;
        if (s.band === 'healthy') totals.healthy++;
        else if (s.band === 'watch') totals.watch++;
        else totals.atRisk++;
      }
    }
    if (accounts.length === ACCOUNTS_PER_BATCH) {
      const after = accounts[accounts.length - 1]!;
      await healthScoresJob.enqueue(
        trx,
        {
          dedupeKey: `health_scores:${orgId}:${totals.scoredOn}:${job.id}:${after}`,
          orgId,
          payload: { orgId, run: { ...totals, after } },
          availableAt: now,
        },
        now,
      );
      return;
    }
    // An organisation with no account to score (settings saved before any signal) says nothing.
    if (totals.scored + totals.unscored === 0) return;
    await publish(trx, {
      type: 'health.scored',
      orgId,
      actor: SYSTEM,
      at: now,
      scoredOn: totals.scoredOn,
      scored: totals.scored,
      unscored: totals.unscored,
      healthy: totals.healthy,
      watch: totals.watch,
      atRisk: totals.atRisk,
    });
  },
};

/** The daily health scoring of one organisation (`health_scores:<org>:<date>`), batch by batch. */
export const healthScoresJob = defineJob({
  kind: 'health_scores',
  version: 1,
  schema: HealthRun,
  handle: scoreAccounts,
});

/** The organisation's next daily scoring, if it is not in the outbox yet. */
export async function scheduleHealthScores(db: Db, orgId: string, now: Date): Promise<void> {
  await enqueueDaily(db, healthScoresJob, { orgId }, now);
}

/** Scores the organisation's accounts now, in a run of its own (after its settings change). */
export async function scoreHealthNow(db: Db, orgId: string, now: Date): Promise<void> {
  await healthScoresJob.enqueue(
    db,
    {
      dedupeKey: `health_scores:${orgId}:now:${now.toISOString()}`,
      orgId,
      payload: { orgId },
      availableAt: now,
    },
    now,
  );
}

/** The scores of these accounts at `now`, under the organisation's rules (accounts without signals score nothing). */
export async function scoreBatch(
  db: Db,
  orgId: string,
  accountIds: readonly string[],
  now: Date,
): Promise<Map<string, HealthScore>> {
  const rules = await healthRulesOf(db, orgId);
  const inputs = await healthInputsOf(db, orgId, accountIds, rules, now);
  const scores = new Map<string, HealthScore>();
  for (const id of accountIds)
    scores.set(
      id,
      scoreHealth(inputs.get(id) ?? { signals: [], usedBefore: false, adoptedBefore: false }, rules, now),
    );
  return scores;
}

/** Up to `limit` accounts of the organisation with a signal, in id order after `after`. */
async function accountsWithSignals(trx: Tx, orgId: string, after: string, limit: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('signals')
    .select('account_id')
    .distinct()
    .where('org_id', '=', orgId)
    .where('account_id', '>', after)
    .orderBy('account_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.account_id);
}
