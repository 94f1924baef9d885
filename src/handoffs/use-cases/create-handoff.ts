import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction, type Tx } from '../../kernel/context.js';
import { dialectOf, lockRowsForWrite } from '../../kernel/db/dialect.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { publishAll } from '../../kernel/events.js';
import { isId, newId } from '../../kernel/ids.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import { playbookByKey } from '../../playbooks/playbook-cache.js';
import { draft } from '../domain/lifecycle.js';
import { type HandoffRow, toView } from '../handoff-records.js';
import type { Handoff } from '../handoff-schema.js';
import { publishable } from './apply-command.js';
import { draftIssues } from './packet-issues.js';
import { keepSecretsInVault } from './packet-secrets.js';

export interface CreateHandoffInput {
  engagement_id: string;
  playbook: string;
  playbook_version?: number;
  transition: string;
  title?: string;
  sending_team?: string;
  receiving_team?: string;
  assignee_id?: string | null;
  packet?: Record<string, unknown>;
}

/** States in which a handoff no longer carries its transition: another may be opened for it. */
const ENDED_STATES = ['withdrawn', 'closed'] as const;

/**
 * Opens a draft handoff for one transition of a playbook, pinned to the playbook version current
 * now (or the one asked for). The teams default to the ones the transition names. An engagement
 * carries one open handoff per transition: a second is refused with `conflict`, naming the open
 * one, e.g. `createHandoff(deps, sam, { engagement_id, playbook: 'security-integrator',
 * transition: 'sales-to-operations' })` twice answers the draft, then a 409.
 */
export async function createHandoff(
  deps: Deps,
  principal: Principal,
  input: CreateHandoffInput,
): Promise<Handoff> {
  requireCapability(principal, 'act_on_handoffs', 'open handoffs');
  return inTransaction(deps, async (trx) =>
    toView(trx, principal, await openHandoff(trx, deps, principal, input), deps.ports),
  );
}

/**
 * `createHandoff`'s work inside the caller's transaction, answering the stored row (a CRM's closed-won deal opens its draft
 * in the transaction that writes the account and engagement: `src/integrations/`).
 */
export async function openHandoff(
  trx: Tx,
  deps: Deps,
  principal: Principal,
  input: CreateHandoffInput,
): Promise<HandoffRow> {
  requireCapability(principal, 'act_on_handoffs', 'open handoffs');
  const now = deps.clock.now();
  {
    const errors: ErrorDetail[] = [];
    // Locked until the commit, so two concurrent opens for one engagement take turns and the
    // second sees the first's handoff below (SQLite has one writer: its turns are given).
    const engagement = isId(input.engagement_id)
      ? await lockRowsForWrite(
          dialectOf(trx),
          trx
            .selectFrom('engagements')
            .select(['id', 'name'])
            .where('org_id', '=', principal.orgId)
            .where('id', '=', input.engagement_id),
        ).executeTakeFirst()
      : undefined;
    if (!engagement)
      errors.push({ path: '/engagement_id', message: 'no such engagement in this organisation' });
    const playbook = await playbookByKey(trx, principal.orgId, input.playbook, input.playbook_version).catch(
      (e: unknown) => {
        if (e instanceof AppError && e.code === 'not_found') {
          errors.push({
            path: input.playbook_version ? '/playbook_version' : '/playbook',
            message: e.message,
          });
          return undefined;
        }
        throw e;
      },
    );
    const compiled = playbook?.transition(input.transition);
    if (playbook && !compiled) {
      errors.push({
        path: '/transition',
        message: `playbook ${playbook.playbook.key} has no transition ${input.transition} (it has ${playbook.playbook.transitions.map((t) => t.key).join(', ')})`,
      });
    }
    const teams = await trx
      .selectFrom('teams')
      .select(['id', 'key'])
      .where('org_id', '=', principal.orgId)
      .execute();
    const sendingKey = input.sending_team ?? compiled?.def.senderTeam;
    const receivingKey = input.receiving_team ?? compiled?.def.receiverTeam;
    const sending = teams.find((t) => t.key === sendingKey);
    const receiving = teams.find((t) => t.key === receivingKey);
    if (compiled && !sending)
      errors.push({ path: '/sending_team', message: `no team ${sendingKey} in this organisation` });
    if (compiled && !receiving) {
      errors.push({ path: '/receiving_team', message: `no team ${receivingKey} in this organisation` });
    }
    if (sending && receiving && sending.id === receiving.id) {
      errors.push({
        path: '/receiving_team',
        message: 'the receiving team must differ from the sending team',
      });
    }
    if (input.assignee_id) {
      const assignee = isId(input.assignee_id)
        ? await trx
            .selectFrom('users')
            .select('id')
            .where('org_id', '=', principal.orgId)
            .where('id', '=', input.assignee_id)
            .executeTakeFirst()
        : undefined;
      if (!assignee) errors.push({ path: '/assignee_id', message: 'no such user in this organisation' });
    }
    const given = (input.packet ?? {}) as Packet;
    if (compiled) errors.push(...draftIssues(compiled.validator, given));
    if (errors.length || !engagement || !playbook || !compiled || !sending || !receiving) {
      throw new AppError('validation_failed', 'The handoff cannot be created.', errors);
    }
    if (!principal.teamIds.includes(sending.id) && principal.role !== 'admin') {
      throw new AppError(
        'forbidden',
        `Only members of the ${sending.key} team (or an admin) may open this handoff.`,
      );
    }
    const open = await trx
      .selectFrom('handoffs')
      .select(['id', 'title', 'state'])
      .where('org_id', '=', principal.orgId)
      .where('engagement_id', '=', engagement.id)
      .where('playbook_key', '=', playbook.playbook.key)
      .where('transition_key', '=', compiled.def.key)
      .where('state', 'not in', ENDED_STATES)
      .orderBy('created_at')
      .executeTakeFirst();
    if (open) {
      throw new AppError(
        'conflict',
        `The engagement already has an open handoff for ${compiled.def.name}: “${open.title}”. Continue it, or withdraw it first.`,
        [
          {
            path: '/engagement_id',
            code: 'open_handoff',
            message: `“${open.title}” (${open.id}, ${open.state.replace('_', ' ')}) is open for this engagement and transition`,
          },
        ],
        { open_handoff: { id: open.id, title: open.title, state: open.state } },
      );
    }
    const id = newId();
    const packet = await keepSecretsInVault(trx, deps, {
      principal,
      handoff: { id, engagement_id: engagement.id },
      now,
      def: compiled.def,
      before: null,
      after: given,
    });
    const opened = draft({ packet, sendingTeam: sending.key, receivingTeam: receiving.key });
    const row = {
      id,
      org_id: principal.orgId,
      engagement_id: engagement.id,
      playbook_id: playbook.id,
      playbook_key: playbook.playbook.key,
      playbook_version: playbook.playbook.version,
      transition_key: compiled.def.key,
      title: input.title?.trim() || `${compiled.def.name}: ${engagement.name}`,
      sending_team_id: sending.id,
      receiving_team_id: receiving.id,
      assignee_user_id: input.assignee_id ?? null,
      state: opened.state,
      packet: JSON.stringify(packet),
      revision: 0,
      decision: null,
      created_by: principal.userId,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      submitted_at: null,
      decided_at: null,
      version: 1,
      opened_revision: null,
      opened_at: null,
      opened_by: null,
    };
    await trx.insertInto('handoffs').values(row).execute();
    await publishAll(trx, publishable(opened.events, row, principal, now));
    return row;
  }
}
