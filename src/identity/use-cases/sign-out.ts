import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { hashSessionToken } from '../domain/session-token.js';

/** Ends a session for good: its cookie is refused from now on, even if replayed. Idempotent. */
export async function signOut(deps: Deps, sessionToken: string): Promise<void> {
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const session = await trx
      .selectFrom('sessions')
      .select(['id', 'org_id', 'user_id'])
      .where('token_hash', '=', hashSessionToken(sessionToken))
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (!session) return;
    await trx
      .updateTable('sessions')
      .set({ ended_at: now.toISOString() })
      .where('id', '=', session.id)
      .execute();
    await appendAudit(trx, session.org_id, { type: 'user', id: session.user_id }, now, {
      action: 'session.signed_out',
      entityType: 'session',
      entityId: session.id,
      before: { ended: false },
      after: { ended: true },
    });
  });
}
