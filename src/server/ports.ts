import { closeBlockersOf } from '../checkpoints/handoff-subscribers.js';
import { missingFilesOf } from '../closeout/use-cases/missing-files.js';
import { storePacketSecrets } from '../closeout/vault-packet-secrets.js';
import type { Db, Ports } from '../kernel/context.js';
import type {} from '../portal/ports.js';
import { signoffsOf } from '../portal/public.js';
import { closeoutPackageOf } from './closeout-package.js';

/**
 * What features answer one another where no event fits, wired here so neither imports the other
 * (each member is declared by the feature that asks: `src/handoffs/ports.ts`).
 */
/** The client's latest sign-off of the engagement's closeout package, or null when none. */
async function clientSignOffOf(db: Db, orgId: string, engagementId: string) {
  const last = (await signoffsOf(db, orgId, engagementId)).at(-1);
  return last ? { name: last.signer_name, at: last.signed_at } : null;
}

export const PORTS: Ports = {
  closeBlockersOf,
  closeoutPackageOf,
  storePacketSecrets,
  missingFilesOf,
  // The closeout's checklist (src/closeout/ports.ts) reads the client's sign-off.
  clientSignOffOf,
};
