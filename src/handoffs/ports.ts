import type { Actor } from '../kernel/actor.js';
import type { Db, Tx } from '../kernel/context.js';
import type { ErrorDetail } from '../kernel/errors.js';
import type { Packet } from '../playbooks/domain/playbook.js';
import type { Keyring } from '../vault/keyring.js';
import type { Issue } from './domain/lifecycle.js';

/** A packet about to be stored, whose `secret` fields may hold new values. */
export interface PacketSecrets {
  orgId: string;
  engagementId: string;
  handoffId: string;
  actor: Actor;
  now: Date;
  /** The transition's `secret` fields, with the label the vault entry is named by. */
  fields: readonly { section: string; field: string; label: string }[];
  /** The packet as stored before this change (null for a new handoff). */
  before: Packet | null;
  after: Packet;
}

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
     * Moves every new value of the packet's `secret` fields into the engagement's vault, in the
     * caller's transaction, and answers the packet holding only `{ vault: <entry id> }` there
     * (a field that already referred to its entry has that entry's secret replaced); or the
     * problems, by packet path, of references to entries the engagement does not have.
     */
    storePacketSecrets(
      trx: Tx,
      keyring: Keyring | undefined,
      input: PacketSecrets,
    ): Promise<{ packet: Packet; errors: ErrorDetail[] }>;
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
