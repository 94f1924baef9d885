import type { Db } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import { createPacketValidator } from './domain/packet-validator.js';
import type { Playbook, TransitionDef } from './domain/playbook.js';

export type PacketValidator = ReturnType<typeof createPacketValidator>;

export interface CompiledPlaybook {
  id: string;
  orgId: string;
  playbook: Playbook;
  builtin: boolean;
  /** The transition and its compiled validator, or undefined when the playbook has no such transition. */
  transition(key: string): { def: TransitionDef; validator: PacketValidator } | undefined;
}

// Playbook rows are never changed nor deleted once written (an edit is a new version), so compiled
// forms can be kept for the life of the process, keyed by row id; a playbook found here by id
// needs no query.
const compiled = new Map<string, CompiledPlaybook>();
const MAX_CACHED = 500;

function compile(row: { id: string; org_id: string; definition: string; builtin: number }): CompiledPlaybook {
  const { id } = row;
  const hit = compiled.get(id);
  if (hit) return hit;
  const playbook = JSON.parse(row.definition) as Playbook;
  const validators = new Map<string, { def: TransitionDef; validator: PacketValidator }>();
  const entry: CompiledPlaybook = {
    id,
    orgId: row.org_id,
    playbook,
    builtin: row.builtin === 1,
    transition(key) {
      const known = validators.get(key);
      if (known) return known;
      const def = playbook.transitions.find((t) => t.key === key);
      if (!def) return undefined;
      const made = { def, validator: createPacketValidator(def) };
      validators.set(key, made);
      return made;
    },
  };
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(id, entry);
  return entry;
}

/** The playbook version with this row id, in the organisation; 404 otherwise. */
export async function playbookById(db: Db, orgId: string, id: string): Promise<CompiledPlaybook> {
  const hit = compiled.get(id);
  if (hit?.orgId === orgId) return hit;
  const row = await db
    .selectFrom('playbooks')
    .select(['id', 'org_id', 'definition', 'builtin'])
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No playbook ${id}.`);
  return compile(row);
}

/** A playbook by key: the given version, or the latest. 404 when there is none. */
export async function playbookByKey(
  db: Db,
  orgId: string,
  key: string,
  version?: number,
): Promise<CompiledPlaybook> {
  let q = db
    .selectFrom('playbooks')
    .select(['id', 'org_id', 'definition', 'builtin'])
    .where('org_id', '=', orgId)
    .where('key', '=', key);
  q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const row = await q.executeTakeFirst();
  if (!row) {
    throw new AppError(
      'not_found',
      version === undefined ? `No playbook ${key}.` : `No version ${version} of playbook ${key}.`,
    );
  }
  return compile(row);
}
