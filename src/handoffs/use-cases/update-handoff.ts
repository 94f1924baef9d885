import { appendAudit } from '../../audit/append-audit.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publishAll } from '../../kernel/events.js';
import { isId } from '../../kernel/ids.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { changedFields, mergePacket } from '../domain/merge-packet.js';
import { loadHandoff, toView } from '../handoff-records.js';
import type { Handoff } from '../handoff-schema.js';
import { applyCommand } from './apply-command.js';
import { draftIssues } from './packet-issues.js';
import { keepSecretsInVault } from './packet-secrets.js';

export interface UpdateHandoffInput {
  /** A merge patch of the packet: sections merge, fields are replaced, null removes. */
  packet?: Record<string, unknown>;
  title?: string;
  assignee_id?: string | null;
  /** When given, the update applies only if the handoff is still at this version. */
  version?: number;
}

/** Edits a draft or rejected handoff's packet (the sending team's work) or its title and assignee. */
export async function updateHandoff(
  deps: Deps,
  principal: Principal,
  id: string,
  input: UpdateHandoffInput,
): Promise<Handoff> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await loadHandoff(trx, principal.orgId, id);
    if (input.version !== undefined && input.version !== Number(row.version)) {
      throw new AppError(
        'conflict',
        `The handoff is at version ${row.version}, not ${input.version}; reload it.`,
      );
    }
    const before = JSON.parse(row.packet) as Packet;
    const given = input.packet ? mergePacket(before, input.packet) : before;
    const playbook = await playbookById(trx, principal.orgId, row.playbook_id);
    const compiled = playbook.transition(row.transition_key);
    if (!compiled) throw new Error(`Handoff ${row.id} names a missing transition ${row.transition_key}`);
    const errors = draftIssues(compiled.validator, given);
    if (input.assignee_id) {
      const user = isId(input.assignee_id)
        ? await trx
            .selectFrom('users')
            .select('id')
            .where('org_id', '=', principal.orgId)
            .where('id', '=', input.assignee_id)
            .executeTakeFirst()
        : undefined;
      if (!user) errors.push({ path: '/assignee_id', message: 'no such user in this organisation' });
    }
    if (input.title !== undefined && input.title.trim() === '') {
      errors.push({ path: '/title', message: 'must not be blank' });
    }
    if (errors.length) throw new AppError('validation_failed', 'The changes are not valid.', errors);
    const after = input.packet
      ? await keepSecretsInVault(trx, deps, {
          principal,
          handoff: row,
          now,
          def: compiled.def,
          before,
          after: given,
        })
      : before;
    const changed = changedFields(before, after);
    const changes: Record<string, unknown> = {};
    if (input.packet) changes.packet = JSON.stringify(after);
    if (input.title !== undefined) changes.title = input.title.trim();
    if (input.assignee_id !== undefined) changes.assignee_user_id = input.assignee_id;
    if (input.packet) {
      const { row: updated, events } = await applyCommand(
        trx,
        principal,
        now,
        row,
        { type: 'edit', fields: { before: pick(before, changed), after: pick(after, changed) } },
        changes,
      );
      await publishAll(trx, events);
      return toView(trx, principal, updated, deps.ports);
    }
    if (input.title === undefined && input.assignee_id === undefined)
      return toView(trx, principal, row, deps.ports);
    // Title and assignee are housekeeping, open to either side while the handoff is live.
    const sides =
      principal.teamIds.includes(row.sending_team_id) || principal.teamIds.includes(row.receiving_team_id);
    if (!sides && principal.role !== 'admin') {
      throw new AppError('forbidden', 'Only the sending or receiving team may change the title or assignee.');
    }
    if (principal.role === 'viewer')
      throw new AppError('forbidden', 'The viewer role may not change handoffs.');
    delete changes.packet;
    const updated = await trx
      .updateTable('handoffs')
      .set({ ...changes, updated_at: now.toISOString(), version: Number(row.version) + 1 })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .returningAll()
      .executeTakeFirst();
    if (!updated)
      throw new AppError('conflict', 'The handoff was changed at the same time; reload and retry.');
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'handoff.updated',
      entityType: 'handoff',
      entityId: row.id,
      handoffId: row.id,
      engagementId: row.engagement_id,
      before: { title: row.title, assignee_id: row.assignee_user_id },
      after: { title: updated.title, assignee_id: updated.assignee_user_id },
    });
    return toView(trx, principal, updated, deps.ports);
  });
}

function pick(packet: Packet, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const [s, f] = key.split('.') as [string, string | undefined];
    const section = (packet as Record<string, unknown>)[s] as Record<string, unknown> | undefined;
    out[key] = (f === undefined ? section : section?.[f]) ?? null;
  }
  return out;
}
