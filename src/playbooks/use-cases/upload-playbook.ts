import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { type ParseResult, parsePlaybook } from '../domain/parse-playbook.js';
import { type InstalledPlaybook, installPlaybook } from './install-playbook.js';

const MAX_SOURCE = 512 * 1024;

/** Parses a playbook document; every error carries file, line, column and path. */
export function validatePlaybookSource(source: string, file: string): ParseResult {
  if (source.length > MAX_SOURCE) {
    return {
      ok: false,
      errors: [
        {
          file,
          line: 1,
          column: 1,
          path: '',
          message: `the document is larger than ${MAX_SOURCE} characters`,
        },
      ],
    };
  }
  return parsePlaybook(source, file);
}

/**
 * Installs an uploaded playbook as the next version of its key. Handoffs already under way keep
 * the version they pinned.
 */
export async function uploadPlaybook(
  deps: Deps,
  principal: Principal,
  input: { source: string; file?: string },
): Promise<InstalledPlaybook> {
  requireCapability(principal, 'manage_playbooks', 'install playbooks');
  const file = input.file ?? 'upload.yaml';
  const parsed = validatePlaybookSource(input.source, file);
  if (!parsed.ok) {
    throw new AppError(
      'invalid_playbook',
      `The playbook has ${parsed.errors.length} error${parsed.errors.length === 1 ? '' : 's'}.`,
      parsed.errors.map((e) => ({
        path: e.path || '/',
        message: e.message,
        file: e.file,
        line: e.line,
        column: e.column,
      })),
    );
  }
  const now = deps.clock.now();
  return inTransaction(deps, (trx) =>
    installPlaybook(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      source: input.source,
      playbook: parsed.playbook,
      builtin: false,
    }),
  );
}
