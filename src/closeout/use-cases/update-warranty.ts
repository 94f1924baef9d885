import { changedValues } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { checkWarranty } from '../domain/warranty-record.js';
import type { Warranty } from '../records-schema.js';
import { loadCloseoutRecord, toWarrantyView } from './closeout-records.js';

const FIELDS = [
  'kind',
  'provider',
  'reference',
  'starts_on',
  'expires_on',
  'covers',
  'remind_days_before',
] as const;

/**
 * Edits a warranty, checked whole once edited. Publishes `warranty.updated` with the fields
 * changed; the checkpoints feature moves the reminder when the expiry or the notice moves.
 */
export async function updateWarranty(
  deps: Deps,
  principal: Principal,
  id: string,
  input: Record<string, unknown>,
): Promise<Warranty> {
  requireCapability(principal, 'write_records', 'change warranties');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await loadCloseoutRecord(trx, 'warranties', principal.orgId, id, 'warranty');
    const current = Object.fromEntries(
      FIELDS.map((f) => [f, f === 'remind_days_before' ? Number(row[f]) : row[f]]),
    );
    const sent = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const checked = checkWarranty({ ...current, ...sent });
    if (!checked.ok) throw new AppError('validation_failed', 'The changes are not valid.', checked.issues);
    const diff = changedValues(current, checked.values as unknown as Record<string, unknown>);
    if (!diff.changed) return toWarrantyView(row);
    const updated = await trx
      .updateTable('warranties')
      .set({ ...checked.values, updated_at: now.toISOString() })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await publish(trx, {
      type: 'warranty.updated',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      warranty: updated,
      changed: { before: diff.before, after: diff.after },
    });
    return toWarrantyView(updated);
  });
}
