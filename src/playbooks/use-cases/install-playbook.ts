import { createHash } from 'node:crypto';
import { appendAudit } from '../../audit/append-audit.js';
import type { Actor } from '../../kernel/actor.js';
import { canonicalJson } from '../../kernel/canonical-json.js';
import type { Tx } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { Playbook } from '../domain/playbook.js';
import { type VersionSlot, withVersion } from '../domain/version-slot.js';

export interface InstalledPlaybook {
  id: string;
  key: string;
  version: number;
  name: string;
  /** False when that version already held this very definition: nothing was written. */
  installed: boolean;
  /** What happened, in a sentence. */
  message: string;
}

/** The same playbook: equal definitions, key order aside. */
function sameDefinition(stored: string, playbook: Playbook): boolean {
  return canonicalJson(JSON.parse(stored)) === canonicalJson(playbook);
}

/**
 * Stores a parsed playbook as a version of its key in the organisation. Versions are immutable (a
 * handoff pins the row it started with) and never renumbered behind the author:
 *
 * - a document that names its version is stored as exactly that version. If the version exists with
 *   the same definition, nothing changes (`installed: false`); with another definition, or when it
 *   is below the latest version, it is refused (`conflict`), naming the version to use instead;
 * - a document without a version becomes the next one (1 for a new key), and its stored source gains
 *   the line `version: N` (at `versionSlot`), so that the document says which version it is. If it is
 *   the latest version's definition again, nothing changes.
 *
 * "The same definition" compares what the document means (stages, transitions, fields, ...), not
 * its comments or layout.
 */
export async function installPlaybook(
  trx: Tx,
  orgId: string,
  actor: Actor,
  at: Date,
  input: { source: string; playbook: Playbook; builtin: boolean; versionSlot?: VersionSlot },
): Promise<InstalledPlaybook> {
  const { key, name } = input.playbook;
  const latest = await trx
    .selectFrom('playbooks')
    .select(['id', 'version', 'name', 'definition'])
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  const latestVersion = latest ? Number(latest.version) : 0;
  const unchanged = (row: { id: string; version: number | string; name: string }): InstalledPlaybook => {
    const version = Number(row.version);
    return {
      id: row.id,
      key,
      version,
      name: row.name,
      installed: false,
      message: `Version ${version} of playbook ${key} already has this definition; nothing was installed.`,
    };
  };
  const advice = `give the document version ${latestVersion + 1}, or leave "version" out to install it as the next version`;

  let version = input.playbook.version;
  let source = input.source;
  if (version > 0) {
    // Only a version below the latest needs looking up: above it, none exists.
    const existing =
      version === latestVersion
        ? latest
        : version < latestVersion
          ? await trx
              .selectFrom('playbooks')
              .select(['id', 'version', 'name', 'definition'])
              .where('org_id', '=', orgId)
              .where('key', '=', key)
              .where('version', '=', version)
              .executeTakeFirst()
          : undefined;
    if (existing) {
      if (sameDefinition(existing.definition, input.playbook)) return unchanged(existing);
      throw new AppError(
        'conflict',
        `Version ${version} of playbook ${key} is already installed with a different definition, and a version never changes: ${advice}.`,
        [{ path: '/version', message: `version ${version} exists; ${advice}` }],
      );
    }
    if (version < latestVersion) {
      throw new AppError(
        'conflict',
        `Version ${version} of playbook ${key} would come before the latest, version ${latestVersion}: ${advice}.`,
        [{ path: '/version', message: `the latest version is ${latestVersion}; ${advice}` }],
      );
    }
  } else {
    if (latest && sameDefinition(latest.definition, { ...input.playbook, version: latestVersion })) {
      return unchanged(latest);
    }
    version = latestVersion + 1;
    if (input.versionSlot) source = withVersion(source, input.versionSlot, version);
  }

  const playbook: Playbook = { ...input.playbook, version };
  const id = newId();
  await trx
    .insertInto('playbooks')
    .values({
      id,
      org_id: orgId,
      key,
      version,
      name,
      source,
      definition: JSON.stringify(playbook),
      checksum: createHash('sha256').update(source).digest('hex'),
      builtin: input.builtin ? 1 : 0,
      created_by: actor.id,
      created_at: at.toISOString(),
    })
    .execute();
  await appendAudit(trx, orgId, actor, at, {
    action: 'playbook.installed',
    entityType: 'playbook',
    entityId: id,
    after: { key, version, name, builtin: input.builtin },
  });
  return {
    id,
    key,
    version,
    name,
    installed: true,
    message: `Installed version ${version} of playbook ${key}.`,
  };
}
