import { closeBlockersOf } from '../checkpoints/handoff-subscribers.js';
import type { Ports } from '../kernel/context.js';

/**
 * What features answer one another where no event fits, wired here so neither imports the other
 * (each member is declared by the feature that asks: `src/handoffs/ports.ts`).
 */
export const PORTS: Ports = {
  closeBlockersOf,
  // The closeout's checklist (src/closeout/ports.ts). The files and the client portal are built
  // beside it (issue 13): until they are merged there is no `engagement_files` table nor sign-off
  // to read, so these answer "cannot tell" and the checklist says so. Merging them replaces these
  // two lines with their queries.
  countFilesTagged: async () => null,
  clientSignOffOf: async () => undefined,
};
