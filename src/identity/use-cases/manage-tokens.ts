import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { can, type Principal } from '../domain/roles.js';
import { parseScopes, scopeProblems, TOKEN_SCOPES } from '../domain/scopes.js';
import type { IssuedToken, Token } from '../token-schema.js';
import { issueTokenInTx } from './issue-token.js';

/** The caller's tokens; an admin sees every token of the organisation. Never the token itself. */
export async function listTokens(deps: Deps, principal: Principal): Promise<Token[]> {
  let q = deps.store.db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at', 'scopes'])
    .where('org_id', '=', principal.orgId);
  if (!can(principal, 'manage_identity')) q = q.where('user_id', '=', principal.userId);
  const rows = await q.orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ ...r, scopes: parseScopes(r.scopes) }));
}

/**
 * Creates a token for the caller (or, for an admin, for any user of the organisation), with the
 * scopes asked for (by default, the caller's own). Shown once. A token never gets a scope the
 * credential creating it lacks, so a narrow token cannot mint a wider one.
 */
export async function createToken(
  deps: Deps,
  principal: Principal,
  input: { name: string; user_id?: string; scopes?: readonly string[] },
): Promise<IssuedToken> {
  const userId = input.user_id ?? principal.userId;
  if (userId !== principal.userId && !can(principal, 'manage_identity')) {
    throw new AppError('forbidden', 'Only an admin may create tokens for another user.');
  }
  const asked = input.scopes ?? principal.scopes;
  const problems = [
    ...(input.name.trim() ? [] : [{ path: '/name', message: 'must not be blank' }]),
    ...scopeProblems(asked),
  ];
  if (problems.length) throw new AppError('validation_failed', 'The token is not valid.', problems);
  const scopes = TOKEN_SCOPES.filter((s) => asked.includes(s));
  const lacking = scopes.filter((s) => !principal.scopes.includes(s));
  if (lacking.length) {
    throw new AppError(
      'forbidden',
      `This API token may not create a token with scopes it lacks: ${lacking.join(', ')}.`,
    );
  }
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const user = isId(userId)
      ? await trx
          .selectFrom('users')
          .select('id')
          .where('org_id', '=', principal.orgId)
          .where('id', '=', userId)
          .executeTakeFirst()
      : undefined;
    if (!user) {
      throw new AppError('validation_failed', 'The token is not valid.', [
        { path: '/user_id', message: 'no such user' },
      ]);
    }
    const made = await issueTokenInTx(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      userId,
      name: input.name.trim(),
      scopes,
    });
    return {
      id: made.id,
      user_id: userId,
      name: input.name.trim(),
      prefix: made.prefix,
      created_at: now.toISOString(),
      last_used_at: null,
      revoked_at: null,
      scopes: made.scopes,
      token: made.token,
    };
  });
}

/** Revokes a token at once. The caller's own tokens, or any of the organisation's for an admin. */
export async function revokeToken(deps: Deps, principal: Principal, id: string): Promise<void> {
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const token = isId(id)
      ? await trx
          .selectFrom('api_tokens')
          .selectAll()
          .where('org_id', '=', principal.orgId)
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!token || (token.user_id !== principal.userId && !can(principal, 'manage_identity'))) {
      throw new AppError('not_found', `No token ${id}.`);
    }
    if (token.revoked_at) return;
    await trx
      .updateTable('api_tokens')
      .set({ revoked_at: now.toISOString() })
      .where('id', '=', token.id)
      .execute();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'token.revoked',
      entityType: 'api_token',
      entityId: token.id,
      before: { revoked: false },
      after: { revoked: true },
    });
  });
}
