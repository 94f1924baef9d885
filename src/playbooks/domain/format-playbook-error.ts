import type { PlaybookError } from './parse-playbook.js';

/**
 * Renders a playbook error the way compilers do, so editors can jump to it.
 * Example: `playbooks/acme.yaml:14:11 /transitions/0/sections/1/fields/2/type must be one of: ...`.
 */
export function formatPlaybookError(error: PlaybookError): string {
  return `${error.file}:${error.line}:${error.column} ${error.path || '/'} ${error.message}`;
}
