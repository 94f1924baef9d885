import type { Db } from '../kernel/context.js';
import { playbookById } from './playbook-cache.js';

/**
 * What a packet field of a handoff is called in its playbook: `"In-scope work" (Scope)` for
 * `/packet/scope/in_scope`; null when the path names no field of the handoff's transition.
 *
 * @example
 *   await fieldTitleOf(trx, handoff, '/packet/scope/in_scope') // '"In-scope work" (Scope)'
 */
export async function fieldTitleOf(
  db: Db,
  handoff: { org_id: string; playbook_id: string; transition_key: string },
  path: string,
): Promise<string | null> {
  const match = /^\/packet\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match) return null;
  const playbook = await playbookById(db, handoff.org_id, handoff.playbook_id);
  const section = playbook.transition(handoff.transition_key)?.def.sections.find((s) => s.key === match[1]);
  const field = section?.fields.find((f) => f.key === match[2]);
  return field && section ? `"${field.label}" (${section.title})` : null;
}
