import { closeBlockersOf } from '../checkpoints/handoff-subscribers.js';
import { missingFilesOf } from '../closeout/use-cases/missing-files.js';
import { storePacketSecrets } from '../closeout/vault-packet-secrets.js';
import type { Ports } from '../kernel/context.js';
import type {} from '../portal/ports.js';
import { closeoutPackageOf } from './closeout-package.js';

/**
 * What features answer one another where no event fits, wired here so neither imports the other
 * (each member is declared by the feature that asks: `src/handoffs/ports.ts`).
 */
export const PORTS: Ports = {
  closeBlockersOf,
  closeoutPackageOf,
  storePacketSecrets,
  missingFilesOf,
};
