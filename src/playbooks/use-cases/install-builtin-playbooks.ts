import type { Actor } from '../../kernel/actor.js';
import type { Tx } from '../../kernel/context.js';
import { type BuiltinPlaybook, loadBuiltinPlaybooks } from '../builtin/load-builtins.js';
import { installPlaybook } from './install-playbook.js';

/** The built-in playbooks installed in an organisation, and the teams their transitions name. */
export interface InstalledBuiltins {
  playbooks: { key: string; version: number }[];
  teamKeys: string[];
}

/**
 * Installs every built-in playbook in a new organisation, inside the transaction that creates it
 * (each install appends its audit entry), and answers the teams their transitions hand between, so
 * the organisation can be given them. Pass `builtins` to read the files before the transaction.
 *
 * Example: `await installBuiltinPlaybooks(trx, orgId, { type: 'system', id: null }, now)`.
 */
export async function installBuiltinPlaybooks(
  trx: Tx,
  orgId: string,
  actor: Actor,
  at: Date,
  builtins: readonly BuiltinPlaybook[] = loadBuiltinPlaybooks(),
): Promise<InstalledBuiltins> {
  const playbooks = [];
  const teamKeys = new Set<string>();
  for (const builtin of builtins) {
    const installed = await installPlaybook(trx, orgId, actor, at, {
      source: builtin.source,
      playbook: builtin.playbook,
      builtin: true,
    });
    playbooks.push({ key: installed.key, version: installed.version });
    for (const t of builtin.playbook.transitions) {
      teamKeys.add(t.senderTeam);
      teamKeys.add(t.receiverTeam);
    }
  }
  return { playbooks, teamKeys: [...teamKeys] };
}
