import { sql } from 'kysely';
import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Tx } from '../../kernel/context.js';
import type { HandoffsTable } from '../../kernel/db/schema.js';
import { AppError, assertUnreachable } from '../../kernel/errors.js';
import { definedEntries, preparedByShape, preparedQuery } from '../../kernel/prepared-query.js';
import { type HandoffEvent, type HandoffState, type Refusal, transition, VERB } from '../domain/lifecycle.js';
import { type HandoffRow, sidesOf } from '../handoff-records.js';

/** Translates the state machine's refusal into the domain error the edge renders. */
export function refusalError(refusal: Refusal): AppError {
  switch (refusal.code) {
    case 'forbidden':
    case 'illegal_transition':
    case 'conflict':
      return new AppError(refusal.code, refusal.message);
    case 'packet_not_ready':
    case 'validation_failed':
      return new AppError(refusal.code, refusal.message, [...refusal.issues]);
    default:
      return assertUnreachable(refusal);
  }
}

/**
 * The one path every lifecycle change takes: the state machine decides, the row is updated only
 * if nobody changed it since it was read (its version), and the change is audited — all inside
 * the caller's transaction.
 */
export async function applyEvent(
  trx: Tx,
  principal: Principal,
  at: Date,
  row: HandoffRow,
  event: HandoffEvent,
  options: {
    changes?: Partial<Omit<HandoffsTable, 'id' | 'org_id' | 'state' | 'version'>>;
    action: string;
    before?: unknown;
    after?: unknown;
  },
): Promise<HandoffRow> {
  requireCapability(principal, 'act_on_handoffs', `${VERB[event.type]} a handoff`);
  const outcome = transition(row.state as HandoffState, event, sidesOf(principal, row));
  if (!outcome.ok) throw refusalError(outcome.refusal);
  const changes = definedEntries({ ...options.changes, state: outcome.state, updated_at: at.toISOString() });
  const updated = await handoffUpdate(Object.keys(changes)).first(trx, {
    ...changes,
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
  await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, at, {
    action: options.action,
    entityType: 'handoff',
    entityId: row.id,
    handoffId: row.id,
    engagementId: row.engagement_id,
    before: options.before ?? { state: row.state },
    after: options.after ?? { state: outcome.state },
  });
  return updated;
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
