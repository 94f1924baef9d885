import { sql } from 'kysely';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Tx } from '../../kernel/context.js';
import type { HandoffsTable } from '../../kernel/db/schema.js';
import { AppError, assertUnreachable } from '../../kernel/errors.js';
import type { DomainEvent } from '../../kernel/event-types.js';
import { definedEntries, preparedByShape, preparedQuery } from '../../kernel/prepared-query.js';
import type { HandoffFact } from '../domain/handoff-facts.js';
import {
  type HandoffCommand,
  type HandoffState,
  type Refusal,
  transition,
  VERB,
} from '../domain/lifecycle.js';
import { type HandoffRow, sidesOf } from '../handoff-records.js';

/** Translates the state machine's refusal into the domain error the edge renders. */
export function refusalError(refusal: Refusal): AppError {
  switch (refusal.code) {
    case 'forbidden':
    case 'illegal_transition':
      return new AppError(refusal.code, refusal.message);
    case 'conflict':
      return new AppError(refusal.code, refusal.message, [...(refusal.issues ?? [])]);
    case 'packet_not_ready':
    case 'validation_failed':
      return new AppError(refusal.code, refusal.message, [...refusal.issues]);
    default:
      return assertUnreachable(refusal);
  }
}

/** A lifecycle change made: the handoff as it left it, and the events to publish once it is complete. */
export interface Change {
  row: HandoffRow;
  events: DomainEvent[];
}

/**
 * The one path every lifecycle change takes: the state machine decides, and the row is updated
 * only if nobody changed it since it was read (its version). Answers the events the change
 * produced, for the caller to publish (`publishAll`) once its own writes are done, inside the
 * same transaction: the audit trail and every other reaction follow from them.
 *
 * @example
 *   const { row, events } = await applyCommand(trx, principal, now, row, { type: 'withdraw', note: null });
 *   await publishAll(trx, events);
 */
export async function applyCommand(
  trx: Tx,
  principal: Principal,
  at: Date,
  row: HandoffRow,
  command: HandoffCommand,
  changes?: Partial<Omit<HandoffsTable, 'id' | 'org_id' | 'state' | 'version'>>,
): Promise<Change> {
  requireCapability(principal, 'act_on_handoffs', `${VERB[command.type]} a handoff`);
  const outcome = transition(row.state as HandoffState, command, sidesOf(principal, row));
  if (!outcome.ok) throw refusalError(outcome.refusal);
  const values = definedEntries({ ...changes, state: outcome.state, updated_at: at.toISOString() });
  const updated = await handoffUpdate(Object.keys(values)).first(trx, {
    ...values,
    $orgId: principal.orgId,
    $id: row.id,
    $version: row.version,
  });
  if (!updated) {
    throw new AppError(
      'conflict',
      'The handoff was changed by someone else at the same time; reload and retry.',
    );
  }
  return { row: updated, events: publishable(outcome.events, updated, principal, at) };
}

/**
 * The lifecycle's events as they are published: with the handoff as the change left it, and who
 * made the change, where and when.
 */
export function publishable(
  facts: readonly HandoffFact[],
  handoff: HandoffRow,
  principal: Principal,
  at: Date,
): DomainEvent[] {
  const envelope = { orgId: principal.orgId, actor: { type: 'user' as const, id: principal.userId }, at };
  return facts.map((fact) => ({ ...fact, ...envelope, handoff }));
}

/** The new values of the columns changed, and which handoff at which version (`$` keys). */
type HandoffUpdate = Record<string, unknown> & { $orgId: string; $id: string; $version: number };

/** The update of these columns of a handoff still at the version read, bumping its version. */
const handoffUpdate = preparedByShape(
  (columns: string[]) => columns.join(','),
  (columns) =>
    preparedQuery((db, v: HandoffUpdate) =>
      db
        .updateTable('handoffs')
        .set({
          ...Object.fromEntries(columns.map((c) => [c, v[c]])),
          version: sql<number>`version + 1`,
        })
        .where('org_id', '=', v.$orgId)
        .where('id', '=', v.$id)
        .where('version', '=', v.$version)
        .returningAll(),
    ),
);
