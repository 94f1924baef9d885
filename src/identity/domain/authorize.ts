import { AppError } from '../../kernel/errors.js';
import { type Capability, can, type Principal } from './roles.js';

const WORDS: Record<Capability, string> = {
  read: 'read records',
  write_records: 'change records',
  act_on_handoffs: 'act on handoffs',
  manage_identity: 'manage users, teams and tokens',
  manage_playbooks: 'manage playbooks',
};

/** Throws `forbidden` unless the principal's role grants the capability. */
export function requireCapability(principal: Principal, capability: Capability): void {
  if (!can(principal, capability)) {
    throw new AppError('forbidden', `The ${principal.role} role may not ${WORDS[capability]}.`);
  }
}
