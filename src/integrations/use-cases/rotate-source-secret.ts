import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { SOURCE_KINDS, type SourceKind } from '../domain/inbound-kinds.js';
import { newSourceSecret, sealSourceSecret } from '../inbound-sources.js';
import { findSource, lastEventsOf, toSourceView } from '../integration-source-records.js';
import type { IntegrationSourceWithSecret } from '../integration-source-schema.js';
import { secretProblems } from './create-integration-source.js';

/**
 * Replaces a source's secret: a new one generated (shown this once), or the vendor's new one
 * given. The old one stops working at once: requests signed with it are refused and recorded.
 */
export async function rotateSourceSecret(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { secret?: string },
): Promise<IntegrationSourceWithSecret> {
  requireCapability(principal, 'manage_identity', 'replace integration source secrets');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await findSource(trx, principal.orgId, id);
    const kind = row.kind as SourceKind;
    const origin = SOURCE_KINDS[kind].secret;
    const errors = secretProblems(kind, input.secret);
    if (origin === 'none') errors.push({ path: '/', message: `a ${kind} source has no secret to replace` });
    if (errors.length) throw new AppError('validation_failed', 'The secret cannot be replaced so.', errors);
    const secret = origin === 'generated' ? newSourceSecret() : input.secret!.trim();
    const sealed = await sealSourceSecret(
      trx,
      deps.vaultKeys,
      { orgId: row.org_id, id: row.id },
      secret,
      now,
    );
    const next = { ...row, ...sealed, updated_at: now.toISOString() };
    await trx
      .updateTable('integration_sources')
      .set({ ...sealed, updated_at: next.updated_at })
      .where('id', '=', row.id)
      .execute();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'integration_source.secret_rotated',
      entityType: 'integration_source',
      entityId: row.id,
      after: { secret_updated_at: now.toISOString() },
    });
    const last = await lastEventsOf(trx, principal.orgId, [row.id]);
    return { source: toSourceView(next, last.get(row.id) ?? null), secret };
  });
}
