import { can } from '../session.js';
import type { Session } from '../types.js';

/**
 * Whether the signed-in user may create and edit accounts, contacts and engagements: the
 * session's `write_records` capability, as the server lists it (and the server refuses the rest).
 *
 * @example
 *   mayWriteRecords(session) // false for a viewer: no "New account" button
 */
export function mayWriteRecords(session: Session): boolean {
  return can(session, 'write_records');
}

/** Whether the signed-in user may open handoffs (`act_on_handoffs`); their team decides the rest. */
export function mayOpenHandoffs(session: Session): boolean {
  return can(session, 'act_on_handoffs');
}
