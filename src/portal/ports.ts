import type { Db } from '../kernel/context.js';
import type { CloseoutPackage } from './domain/closeout-package.js';

/**
 * What the portal asks of the features that keep the closeout package, handed in at the
 * composition root (`src/server/closeout-package.ts`): the portal imports none of them.
 */
declare module '../kernel/context.js' {
  interface Ports {
    /**
     * The closeout package of one engagement of the organisation, section by section, as the
     * client reviews and signs it off; never a secret.
     *
     * @example
     *   (await ports.closeoutPackageOf(db, orgId, engagementId)).sections.map((s) => s.key);
     *   // → ['engagement', 'owner', 'scope', 'promises']
     */
    closeoutPackageOf(db: Db, orgId: string, engagementId: string): Promise<CloseoutPackage>;
  }
}
