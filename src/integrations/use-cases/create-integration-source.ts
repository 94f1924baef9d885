import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { isSourceKind, SOURCE_KINDS } from '../domain/inbound-kinds.js';
import { newSourceSecret, sealSourceSecret } from '../inbound-sources.js';
import { toSourceView } from '../integration-source-records.js';
import type { IntegrationSourceWithSecret } from '../integration-source-schema.js';

export interface CreateSourceInput {
  kind: string;
  name: string;
  config: Record<string, unknown>;
  secret?: string;
  enabled?: boolean;
}

/** The problems of a secret given (or not) for a kind. */
export function secretProblems(kind: keyof typeof SOURCE_KINDS, secret: string | undefined): ErrorDetail[] {
  const origin = SOURCE_KINDS[kind].secret;
  if (origin === 'given' && !secret?.trim())
    return [{ path: '/secret', message: `${kind} makes this secret: paste the one it shows you` }];
  if (origin !== 'given' && secret !== undefined)
    return [
      {
        path: '/secret',
        message:
          origin === 'generated' ? `Baton makes the ${kind} secret: leave it out` : `${kind} sends no secret`,
      },
    ];
  return [];
}

/**
 * Adds a system that may call Baton's inbound endpoints. Its secret is generated (the sender takes
 * ours) or given (the vendor made it), sealed by the vault, and shown in the answer this once.
 */
export async function createIntegrationSource(
  deps: Deps,
  principal: Principal,
  input: CreateSourceInput,
): Promise<IntegrationSourceWithSecret> {
  requireCapability(principal, 'manage_identity', 'set up integration sources');
  const errors: ErrorDetail[] = [];
  if (!isSourceKind(input.kind)) errors.push({ path: '/kind', message: 'is not a known kind' });
  else
    errors.push(
      ...SOURCE_KINDS[input.kind].checkConfig(input.config),
      ...secretProblems(input.kind, input.secret),
    );
  if (!input.name.trim()) errors.push({ path: '/name', message: 'must not be blank' });
  if (errors.length || !isSourceKind(input.kind))
    throw new AppError('validation_failed', 'The integration source is not valid.', errors);
  const origin = SOURCE_KINDS[input.kind].secret;
  const secret =
    origin === 'generated' ? newSourceSecret() : origin === 'given' ? input.secret!.trim() : null;
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const id = newId();
    const sealed = secret
      ? await sealSourceSecret(trx, deps.vaultKeys, { orgId: principal.orgId, id }, secret, now)
      : {
          secret_ciphertext: null,
          secret_iv: null,
          secret_tag: null,
          data_key_id: null,
          secret_updated_at: null,
        };
    const row = {
      id,
      org_id: principal.orgId,
      name: input.name.trim(),
      kind: input.kind,
      config: JSON.stringify(input.config),
      ...sealed,
      enabled: input.enabled === false ? 0 : 1,
      created_by: principal.userId,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('integration_sources').values(row).execute();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'integration_source.created',
      entityType: 'integration_source',
      entityId: id,
      after: { name: row.name, kind: row.kind, config: input.config, enabled: Boolean(row.enabled) },
    });
    return { source: toSourceView(row, null), secret };
  });
}
