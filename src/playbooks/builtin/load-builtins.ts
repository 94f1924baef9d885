import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../kernel/project-root.js';
import { formatPlaybookError } from '../domain/format-playbook-error.js';
import { parsePlaybook } from '../domain/parse-playbook.js';
import type { Playbook } from '../domain/playbook.js';

/** A built-in playbook with the YAML it came from. */
export interface BuiltinPlaybook {
  source: string;
  /** The file name, e.g. `professional-services.yaml`. */
  file: string;
  playbook: Playbook;
}

/** The folder holding the built-in YAML files (beside this module in the source tree). */
export const BUILTIN_PLAYBOOK_DIR = join(projectRoot(), 'src', 'playbooks', 'builtin');

/**
 * Reads and parses every built-in playbook, sorted by file name. Throws if any of them fails to parse,
 * with all of its errors in the message: a broken built-in is a bug, not a user error.
 *
 * Example: `loadBuiltinPlaybooks().map((b) => b.playbook.key)`.
 */
export function loadBuiltinPlaybooks(): BuiltinPlaybook[] {
  const files = readdirSync(BUILTIN_PLAYBOOK_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  return files.map((file) => {
    const source = readFileSync(join(BUILTIN_PLAYBOOK_DIR, file), 'utf8');
    const result = parsePlaybook(source, file);
    if (!result.ok) {
      const details = result.errors.map(formatPlaybookError).join('\n');
      throw new Error(`Built-in playbook ${file} is invalid:\n${details}`);
    }
    return { source, file, playbook: result.playbook };
  });
}
