import type { Db } from '../kernel/context.js';
import type { Issue } from './domain/lifecycle.js';

/**
 * What the handoffs feature asks of the features below it, handed in at the composition root
 * (`src/server/ports.ts`): handoffs import none of them.
 */
declare module '../kernel/context.js' {
  interface Ports {
    /**
     * What stands between each of the handoffs and its close, in one read: one problem per open
     * checkpoint the playbook requires done or waived first (the checkpoints refuse the close on
     * them, in their subscriber of `handoff.closed`); handoffs with none are absent. The caller's
     * `close` action is decided on it.
     *
     * @example
     *   (await ports.closeBlockersOf(db, orgId, [handoffId])).get(handoffId);
     *   // → [{ path: '/checkpoints/…', code: 'checkpoint_open', message: '"Joint kickoff" (…) is open, …' }]
     */
    closeBlockersOf(db: Db, orgId: string, handoffIds: readonly string[]): Promise<Map<string, Issue[]>>;
    /**
     * Which of the files a packet's `file` fields name (by id and version) the engagement does not
     * have: the closeout's files answer, so a packet cannot point at another engagement's drawing.
     *
     * @example
     *   await ports.missingFilesOf(db, orgId, engagementId, [{ fileId, version: 3 }]); // → [{ fileId, version: 3 }]
     */
    missingFilesOf(
      db: Db,
      orgId: string,
      engagementId: string,
      refs: readonly { fileId: string; version: number }[],
    ): Promise<{ fileId: string; version: number }[]>;
  }
}
