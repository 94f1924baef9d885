import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { isUniqueViolation } from '../../kernel/db/dialect.js';
import { AppError } from '../../kernel/errors.js';
import type { PlaybookError } from '../playbook-check-schema.js';
import { type InstalledPlaybook, installPlaybook } from './install-playbook.js';
import { validatePlaybook } from './validate-playbook.js';

/** The 422 for a document that is not a valid playbook: its first errors by position, and their count. */
export function invalidPlaybook(parsed: { errors: PlaybookError[]; errorCount: number }): AppError {
  const more =
    parsed.errorCount > parsed.errors.length ? ` (the first ${parsed.errors.length} are listed)` : '';
  return new AppError(
    'invalid_playbook',
    `The playbook has ${parsed.errorCount} error${parsed.errorCount === 1 ? '' : 's'}${more}.`,
    parsed.errors.map((e) => ({
      path: e.path || '/',
      message: e.message,
      file: e.file,
      line: e.line,
      column: e.column,
    })),
    { error_count: parsed.errorCount },
  );
}

/**
 * Installs an uploaded playbook document as the version it names, or as the next version when it
 * names none (see `installPlaybook`). Handoffs already under way keep the version they pinned.
 */
export async function uploadPlaybook(
  deps: Deps,
  principal: Principal,
  input: { source: string; file?: string },
): Promise<InstalledPlaybook> {
  requireCapability(principal, 'manage_playbooks', 'install playbooks');
  const file = input.file ?? 'upload.yaml';
  const parsed = await validatePlaybook(input.source, file);
  if (!parsed.ok) throw invalidPlaybook(parsed);
  const install = () =>
    inTransaction(deps, (trx) =>
      installPlaybook(trx, principal.orgId, { type: 'user', id: principal.userId }, deps.clock.now(), {
        source: input.source,
        playbook: parsed.playbook,
        builtin: false,
        ...(parsed.versionSlot ? { versionSlot: parsed.versionSlot } : {}),
      }),
    );
  try {
    return await install();
  } catch (error) {
    // Another upload took the version between our read and our write: decide again, seeing it.
    if (isUniqueViolation(error)) return install();
    throw error;
  }
}
