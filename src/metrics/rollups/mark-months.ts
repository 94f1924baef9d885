import { onBeforeCommit, type Tx } from '../../kernel/context.js';
import { newId } from '../../kernel/ids.js';

interface Pending {
  months: Map<string, { org_id: string; period: string }>;
  /** Written already: whatever comes after is written at once. */
  flushed: boolean;
}

/** The months each transaction has to mark, kept by transaction and forgotten with it. */
const pending = new WeakMap<object, Pending>();

async function write(trx: Tx, rows: { org_id: string; period: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('metric_rollup_marks')
    .values(rows.map((row) => ({ id: newId(), ...row })))
    .execute();
}

/**
 * Marks months of an organisation whose facts this transaction changes: the metrics read them
 * from the facts until the refresher rolls them up again (docs/design-metrics.md, "Marks"). The
 * months are gathered and written in one insert just before the transaction commits (at once when
 * the transaction was not opened by `inTransaction`); null months (not yet submitted) are skipped.
 */
export async function markMonths(
  trx: Tx,
  orgId: string,
  periods: readonly (string | null | undefined)[],
): Promise<void> {
  const rows = periods.filter((p): p is string => !!p).map((period) => ({ org_id: orgId, period }));
  let state = pending.get(trx);
  if (state?.flushed) return write(trx, rows);
  if (!state) {
    const fresh: Pending = { months: new Map(), flushed: false };
    state = fresh;
    pending.set(trx, fresh);
    const registered = onBeforeCommit(trx, 'metrics: mark the months to roll up again', async (t) => {
      fresh.flushed = true;
      await write(t, [...fresh.months.values()]);
    });
    if (!registered) {
      fresh.flushed = true;
      return write(trx, rows);
    }
  }
  for (const row of rows) state.months.set(`${row.org_id} ${row.period}`, row);
}
