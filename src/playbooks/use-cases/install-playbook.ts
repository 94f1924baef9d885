import { createHash } from 'node:crypto';
import { type Actor, appendAudit } from '../../audit/append-audit.js';
import type { Tx } from '../../kernel/context.js';
import { newId } from '../../kernel/ids.js';
import type { Playbook } from '../domain/playbook.js';

export interface InstalledPlaybook {
  id: string;
  key: string;
  version: number;
  name: string;
}

/**
 * Stores a parsed playbook as the next version of its key in the organisation. Versions are
 * immutable: a handoff pins the row it started with, so a later upload never changes it.
 */
export async function installPlaybook(
  trx: Tx,
  orgId: string,
  actor: Actor,
  at: Date,
  input: { source: string; playbook: Playbook; builtin: boolean },
): Promise<InstalledPlaybook> {
  const latest = await trx
    .selectFrom('playbooks')
    .select(({ fn }) => fn.max('version').as('version'))
    .where('org_id', '=', orgId)
    .where('key', '=', input.playbook.key)
    .executeTakeFirst();
  const version = Number(latest?.version ?? 0) + 1;
  const playbook: Playbook = { ...input.playbook, version };
  const id = newId();
  const definition = JSON.stringify(playbook);
  await trx
    .insertInto('playbooks')
    .values({
      id,
      org_id: orgId,
      key: playbook.key,
      version,
      name: playbook.name,
      source: input.source,
      definition,
      checksum: createHash('sha256').update(input.source).digest('hex'),
      builtin: input.builtin ? 1 : 0,
      created_by: actor.id,
      created_at: at.toISOString(),
    })
    .execute();
  await appendAudit(trx, orgId, actor, at, {
    action: 'playbook.installed',
    entityType: 'playbook',
    entityId: id,
    after: { key: playbook.key, version, name: playbook.name, builtin: input.builtin },
  });
  return { id, key: playbook.key, version, name: playbook.name };
}
