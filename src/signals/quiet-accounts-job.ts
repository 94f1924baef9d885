import { type Static, Type } from 'typebox';
import { SYSTEM } from '../kernel/actor.js';
import type { Db, Tx } from '../kernel/context.js';
import { publish } from '../kernel/events.js';
import { notify } from '../notifications/notify.js';
import { defineJob, type JobHandler } from '../scheduler/define-job.js';
import { enqueueDaily } from './daily-chain.js';
import { DEFAULT_QUIET_DAYS, type LiveAccount, quietSince } from './domain/quiet-accounts.js';
import { goLiveByAccount } from './go-live.js';

/** The daily check's payload: the organisation it looks at. */
const QuietCheck = Type.Object({ orgId: Type.String({ minLength: 1 }) });

/**
 * The organisation's daily quiet-account check. An account is live from go-live, the first
 * closeout of any of its engagements; it is quiet once it has gone `quiet_days` (30 unless the
 * organisation set it) after the later of go-live and its last usage signal. Each quiet spell —
 * named by the moment its silence began — is recorded in `quiet_alerts` and announced to the
 * account's owner (the service lead of its latest closed-out engagement, else that engagement's
 * owner) through the outbox, once: the next run finds the row and says nothing, until a new usage
 * signal moves the start of the silence. The check schedules the next day's run in the same
 * transaction, so the chain goes on as long as the organisation does.
 */
const checkQuietAccounts: JobHandler<Static<typeof QuietCheck>> = {
  async commit(trx, job, now) {
    const { orgId } = job.payload;
    const days = await quietDaysOf(trx, orgId);
    for (const account of await liveAccounts(trx, orgId)) {
      const since = quietSince(account, days, now);
      if (since !== null) await raiseQuietAlert(trx, orgId, account.accountId, since, days, now);
    }
    await scheduleQuietCheck(trx, orgId, now);
  },
};

/** The daily quiet-account check of one organisation (`quiet_accounts:<org>:<date>`). */
export const quietAccountsJob = defineJob({
  kind: 'quiet_accounts',
  version: 1,
  schema: QuietCheck,
  handle: checkQuietAccounts,
});

/**
 * Makes sure the organisation's next daily check is in the outbox (06:00 UTC after `now`): one
 * job per organisation and day, so calling it again (each signal batch, each settings change)
 * changes nothing.
 */
export async function scheduleQuietCheck(db: Db, orgId: string, now: Date): Promise<void> {
  await enqueueDaily(db, quietAccountsJob, { orgId }, now);
}

/** The organisation's quiet threshold in days. */
export async function quietDaysOf(db: Db, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('signal_settings')
    .select('quiet_days')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return row ? Number(row.quiet_days) : DEFAULT_QUIET_DAYS;
}

/** Every account of the organisation that has gone live, with its go-live and last usage signal. */
async function liveAccounts(db: Db, orgId: string): Promise<LiveAccount[]> {
  const live = await goLiveByAccount(db, orgId).execute();
  const usage = await db
    .selectFrom('signals')
    .select(['account_id', (eb) => eb.fn.max('at').as('last_at')])
    .where('org_id', '=', orgId)
    .where('kind', '=', 'usage')
    .groupBy('account_id')
    .execute();
  const last = new Map(usage.map((u) => [u.account_id, String(u.last_at)]));
  return live.map((l) => ({
    accountId: l.account_id,
    goLiveAt: String(l.go_live_at),
    lastUsageAt: last.get(l.account_id) ?? null,
  }));
}

/** Records the quiet spell and tells the account's owner, unless this spell was raised before. */
async function raiseQuietAlert(
  trx: Tx,
  orgId: string,
  accountId: string,
  since: string,
  days: number,
  now: Date,
): Promise<void> {
  const engagement = await trx
    .selectFrom('engagements')
    .select(['id', 'service_lead_user_id', 'owner_user_id'])
    .where('org_id', '=', orgId)
    .where('account_id', '=', accountId)
    .where('closed_out_at', 'is not', null)
    .orderBy('closed_out_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const ownerId = engagement.service_lead_user_id ?? engagement.owner_user_id;
  const written = await trx
    .insertInto('quiet_alerts')
    .values({
      org_id: orgId,
      account_id: accountId,
      quiet_since: since,
      owner_user_id: ownerId,
      alerted_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['org_id', 'account_id', 'quiet_since']).doNothing())
    .executeTakeFirst();
  if (Number(written.numInsertedOrUpdatedRows ?? 0n) !== 1) return;
  const account = await trx
    .selectFrom('accounts')
    .select('name')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  const owner =
    ownerId === null
      ? undefined
      : await trx
          .selectFrom('users')
          .select(['id', 'name', 'email'])
          .where('org_id', '=', orgId)
          .where('id', '=', ownerId)
          .where('disabled_at', 'is', null)
          .executeTakeFirst();
  await notify(
    trx,
    {
      orgId,
      kind: 'account_quiet',
      eventKey: `account_quiet:${accountId}:${since}`,
      to: owner ? [{ name: owner.name, email: owner.email, userId: owner.id }] : [],
      link: `/accounts/${accountId}`,
      subject: `Quiet account: ${account.name}`,
      text: `"${account.name}" has sent no usage signal since ${since}: ${days} days or more after go-live without use.`,
    },
    now,
  );
  await publish(trx, {
    type: 'account.went_quiet',
    orgId,
    actor: SYSTEM,
    at: now,
    accountId,
    quietSince: since,
    quietDays: days,
    ownerUserId: ownerId,
  });
}
