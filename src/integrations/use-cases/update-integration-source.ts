import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { SOURCE_KINDS, type SourceKind } from '../domain/inbound-kinds.js';
import { findSource, lastEventsOf, toSourceView } from '../integration-source-records.js';
import type { IntegrationSource } from '../integration-source-schema.js';

/** Renames a source, replaces its config (checked as on creation), or turns it on or off. */
export async function updateIntegrationSource(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { name?: string; config?: Record<string, unknown>; enabled?: boolean },
): Promise<IntegrationSource> {
  requireCapability(principal, 'manage_identity', 'change integration sources');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await findSource(trx, principal.orgId, id);
    const errors: ErrorDetail[] = [];
    if (input.config) errors.push(...SOURCE_KINDS[row.kind as SourceKind].checkConfig(input.config));
    if (input.name !== undefined && !input.name.trim())
      errors.push({ path: '/name', message: 'must not be blank' });
    if (errors.length) throw new AppError('validation_failed', 'The change is not valid.', errors);
    const next = {
      ...row,
      name: input.name?.trim() ?? row.name,
      config: input.config ? JSON.stringify(input.config) : row.config,
      enabled: input.enabled === undefined ? row.enabled : input.enabled ? 1 : 0,
      updated_at: now.toISOString(),
    };
    await trx
      .updateTable('integration_sources')
      .set({ name: next.name, config: next.config, enabled: next.enabled, updated_at: next.updated_at })
      .where('id', '=', row.id)
      .execute();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'integration_source.updated',
      entityType: 'integration_source',
      entityId: row.id,
      before: { name: row.name, config: JSON.parse(row.config), enabled: Boolean(row.enabled) },
      after: { name: next.name, config: JSON.parse(next.config), enabled: Boolean(next.enabled) },
    });
    const last = await lastEventsOf(trx, principal.orgId, [row.id]);
    return toSourceView(next, last.get(row.id) ?? null);
  });
}
