import { can } from '../../../src/kernel/principal.js';
import type { Session } from '../types.js';

/**
 * Whether the signed-in user may create and edit accounts, contacts and engagements: their role's
 * `write_records` capability, read from the server's own grants (the server refuses the rest).
 *
 * @example
 *   mayWriteRecords(session) // false for a viewer: no "New account" button
 */
export function mayWriteRecords(session: Session): boolean {
  return can(session.user, 'write_records');
}

/** Whether the signed-in user's role may open handoffs (`act_on_handoffs`); their team decides the rest. */
export function mayOpenHandoffs(session: Session): boolean {
  return can(session.user, 'act_on_handoffs');
}
