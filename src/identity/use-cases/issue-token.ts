import { type Actor, appendAudit } from '../../audit/append-audit.js';
import type { Tx } from '../../kernel/context.js';
import { newId } from '../../kernel/ids.js';
import { generateToken } from '../domain/token.js';

/** Creates an API token for a user. The plain token is in the answer and nowhere else. */
export async function issueTokenInTx(
  trx: Tx,
  orgId: string,
  actor: Actor,
  now: Date,
  input: { userId: string; name: string },
): Promise<{ id: string; token: string; prefix: string }> {
  const { token, hash, prefix } = generateToken();
  const id = newId();
  await trx
    .insertInto('api_tokens')
    .values({
      id,
      org_id: orgId,
      user_id: input.userId,
      name: input.name,
      token_hash: hash,
      prefix,
      created_at: now.toISOString(),
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  await appendAudit(trx, orgId, actor, now, {
    action: 'token.issued',
    entityType: 'api_token',
    entityId: id,
    after: { user_id: input.userId, name: input.name, prefix },
  });
  return { id, token, prefix };
}
