import type { ParseResult } from '../domain/parse-playbook.js';
import { playbookChecker } from '../playbook-checker.js';

/**
 * The largest playbook document accepted, in characters: nine times the largest built-in one
 * (security-integrator, 20 KB). Checking is linear, but the YAML parser alone needs some 1.5 µs a
 * character on a two-core machine, so this cap is what keeps the worst document's answer well
 * inside a second (and inside the checker's time limit) even when the machine is busy.
 */
export const MAX_PLAYBOOK_SOURCE = 192 * 1024;

/**
 * Checks a playbook document without installing it: every error carries file, line, column and
 * path; at most `MAX_REPORTED_ERRORS` are listed, with the count of all. The work happens on a
 * worker thread under a time limit, so a hostile document holds up no other request.
 */
export async function validatePlaybook(source: string, file: string): Promise<ParseResult> {
  if (source.length > MAX_PLAYBOOK_SOURCE) {
    return {
      ok: false,
      errors: [
        {
          file,
          line: 1,
          column: 1,
          path: '',
          message: `the document is larger than ${MAX_PLAYBOOK_SOURCE} characters`,
        },
      ],
      errorCount: 1,
    };
  }
  return playbookChecker().check(source, file);
}
