import type { Deps, Tx } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import type { Principal } from '../../kernel/principal.js';
import type { Packet, TransitionDef } from '../../playbooks/domain/playbook.js';
import type { PacketSecrets } from '../ports.js';

/** The transition's `secret` fields. */
export function secretFieldsOf(def: TransitionDef): PacketSecrets['fields'] {
  return def.sections.flatMap((section) =>
    section.fields
      .filter((f) => f.type === 'secret')
      .map((f) => ({ section: section.key, field: f.key, label: f.label })),
  );
}

/**
 * The packet as it may be stored: each new value of a `secret` field moved into the engagement's
 * vault (in this transaction) and replaced by its reference. Refused, naming the field, when a
 * reference names no vault entry of the engagement.
 */
export async function keepSecretsInVault(
  trx: Tx,
  deps: Deps,
  change: {
    principal: Principal;
    handoff: { id: string; engagement_id: string };
    now: Date;
    def: TransitionDef;
    before: Packet | null;
    after: Packet;
  },
): Promise<Packet> {
  const fields = secretFieldsOf(change.def);
  if (fields.length === 0) return change.after;
  const stored = await deps.ports.storePacketSecrets(trx, deps.vaultKeys, {
    orgId: change.principal.orgId,
    engagementId: change.handoff.engagement_id,
    handoffId: change.handoff.id,
    actor: { type: 'user', id: change.principal.userId },
    now: change.now,
    fields,
    before: change.before,
    after: change.after,
  });
  if (stored.errors.length)
    throw new AppError('validation_failed', 'The packet is not valid.', stored.errors);
  return stored.packet;
}
