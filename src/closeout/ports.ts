import type { Db } from '../kernel/context.js';

/**
 * What the closeout asks of the parts built beside it, handed in at the composition root
 * (`src/server/ports.ts`): the files (an as-built drawing among the engagement's files) and the
 * client portal (the client's sign-off). Each answers "cannot tell" (null, undefined) until the
 * part that knows is installed; the checklist then says so instead of passing the item.
 */
declare module '../kernel/context.js' {
  interface Ports {
    /**
     * How many of the engagement's files carry the tag (`as_built`); null when files are not kept.
     *
     * @example
     *   await ports.countFilesTagged(db, orgId, engagementId, 'as_built') // 2
     */
    countFilesTagged(db: Db, orgId: string, engagementId: string, tag: string): Promise<number | null>;
    /**
     * Who signed the engagement's closeout off for the client, and when; null when nobody has,
     * undefined when sign-offs are not kept.
     */
    clientSignOffOf(
      db: Db,
      orgId: string,
      engagementId: string,
    ): Promise<{ name: string; at: string } | null | undefined>;
  }
}
