import { AppError } from '../../kernel/errors.js';
import { type Capability, can, type Principal } from './roles.js';

/**
 * Throws `forbidden` unless the principal's role grants the capability. `action` completes "may
 * not …" and names what the caller tried, so the refusal says what was refused and by which role:
 * `requireCapability(principal, 'manage_identity', 'read the audit log')` refuses a sales user
 * with "The sales role may not read the audit log."
 */
export function requireCapability(principal: Principal, capability: Capability, action: string): void {
  if (!can(principal, capability)) {
    throw new AppError('forbidden', `The ${principal.role} role may not ${action}.`);
  }
}
