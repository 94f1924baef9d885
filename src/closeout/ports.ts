import type { Db } from '../kernel/context.js';

/**
 * What the closeout asks of the client portal, a sibling that reads the closeout (its package)
 * and so cannot be read back: the client's sign-off, handed in at the composition root
 * (`src/server/ports.ts`).
 */
declare module '../kernel/context.js' {
  interface Ports {
    /** Who last signed the engagement's closeout off for the client, and when; null when nobody has. */
    clientSignOffOf(
      db: Db,
      orgId: string,
      engagementId: string,
    ): Promise<{ name: string; at: string } | null>;
  }
}
