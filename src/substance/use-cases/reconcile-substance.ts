import type { Principal } from '../../identity/domain/roles.js';
import type { Tx } from '../../kernel/context.js';
import { dialectOf, lockRowsForWrite } from '../../kernel/db/dialect.js';
import { newId } from '../../kernel/ids.js';
import { preparedQuery } from '../../kernel/prepared-query.js';
import type { Packet, TransitionDef } from '../../playbooks/domain/playbook.js';
import { mappedFields, planSubstance, recordsToRead } from '../domain/plan-substance.js';
import type { SubstanceWorld } from '../domain/substance-plan.js';
import { writeSubstancePlan } from '../write-substance-plan.js';

interface Input {
  handoffId: string;
  engagementId: string;
  transition: TransitionDef;
  packet: Packet;
}

// The reads and the lock of a reconciliation: the same shapes on every submit.
const lockAccount = preparedQuery((db, v: { orgId: string; engagementId: string }) =>
  lockRowsForWrite(
    dialectOf(db),
    db
      .selectFrom('accounts')
      .select('id')
      .where('org_id', '=', v.orgId)
      .where('id', '=', (eb) =>
        eb.selectFrom('engagements').select('account_id').where('id', '=', v.engagementId),
      ),
  ),
);
const promisesOf = preparedQuery((db, v: { orgId: string; handoffId: string }) =>
  db.selectFrom('promises').selectAll().where('org_id', '=', v.orgId).where('handoff_id', '=', v.handoffId),
);
// Both kinds, in and out: the index on (org, handoff, kind) answers each kind in insertion order.
const scopeItemsOf = preparedQuery((db, v: { orgId: string; handoffId: string }) =>
  db
    .selectFrom('scope_items')
    .selectAll()
    .where('org_id', '=', v.orgId)
    .where('handoff_id', '=', v.handoffId),
);
const contactsOf = preparedQuery((db, v: { orgId: string; accountId: string }) =>
  db.selectFrom('contacts').selectAll().where('org_id', '=', v.orgId).where('account_id', '=', v.accountId),
);
const ladderOf = preparedQuery((db, v: { orgId: string; engagementId: string }) =>
  db
    .selectFrom('success_ladders')
    .selectAll()
    .where('org_id', '=', v.orgId)
    .where('engagement_id', '=', v.engagementId),
);

/**
 * Makes the engagement's records say what the submitted packet says, for every field the
 * playbook maps to a record: promises, scope in and out, named contacts, the success ladder.
 * Reads the records the mapped fields concern, asks `planSubstance` which to add, change and
 * remove (records this handoff created and the packet no longer lists go while untouched: a
 * promise still open), and has `writeSubstancePlan` write them: new records of a kind in one
 * multi-row insert, as are removals.
 *
 * Example: `await reconcileSubstance(trx, principal, now, { handoffId, engagementId, transition, packet })`.
 */
export async function reconcileSubstance(
  trx: Tx,
  principal: Principal,
  at: Date,
  input: Input,
): Promise<void> {
  const mapped = mappedFields(input.transition, input.packet);
  if (mapped.length === 0) return;
  const { orgId } = principal;
  const read = recordsToRead(mapped);

  // Reconciling reads, then inserts (the ladder is one per engagement, contacts are matched by
  // name and e-mail on the account): two submits at once for the same account must take turns.
  // The account's row lock is taken on PostgreSQL (SQLite writes are serial anyway); the select
  // names the account, whose contacts are matched.
  const account = await lockAccount.first(trx, { orgId, engagementId: input.engagementId });
  const handoff = { orgId, handoffId: input.handoffId };
  const accountId =
    account?.id ??
    (read.contacts
      ? (
          await trx
            .selectFrom('engagements')
            .select('account_id')
            .where('org_id', '=', orgId)
            .where('id', '=', input.engagementId)
            .executeTakeFirstOrThrow()
        ).account_id
      : '');
  const world: SubstanceWorld = {
    handoffId: input.handoffId,
    engagementId: input.engagementId,
    accountId,
    promises: read.promises ? await promisesOf.rows(trx, handoff) : [],
    scopeItems: read.scopeItems ? await scopeItemsOf.rows(trx, handoff) : [],
    contacts: read.contacts ? await contactsOf.rows(trx, { orgId, accountId }) : [],
    ladder: read.ladder
      ? ((await ladderOf.first(trx, { orgId, engagementId: input.engagementId })) ?? null)
      : null,
  };
  const plan = planSubstance(world, mapped, { now: at, newId });
  await writeSubstancePlan(trx, orgId, { type: 'user', id: principal.userId }, at, plan);
}
