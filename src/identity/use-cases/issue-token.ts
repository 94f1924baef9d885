import { appendAudit } from '../../audit/append-audit.js';
import type { Actor } from '../../kernel/actor.js';
import type { Tx } from '../../kernel/context.js';
import { newId } from '../../kernel/ids.js';
import { formatScopes, parseScopes, type TokenScope } from '../domain/scopes.js';
import { generateToken } from '../domain/token.js';

/** Creates an API token for a user, with its scopes. The plain token is in the answer and nowhere else. */
export async function issueTokenInTx(
  trx: Tx,
  orgId: string,
  actor: Actor,
  now: Date,
  input: { userId: string; name: string; scopes: readonly TokenScope[] },
): Promise<{ id: string; token: string; prefix: string; scopes: TokenScope[] }> {
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
      scopes: formatScopes(input.scopes),
    })
    .execute();
  await appendAudit(trx, orgId, actor, now, {
    action: 'token.issued',
    entityType: 'api_token',
    entityId: id,
    after: { user_id: input.userId, name: input.name, prefix, scopes: formatScopes(input.scopes) },
  });
  return { id, token, prefix, scopes: parseScopes(formatScopes(input.scopes)) };
}
