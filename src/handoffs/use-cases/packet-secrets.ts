import type { Deps, Tx } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
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
  input: Omit<PacketSecrets, 'fields'> & { def: TransitionDef },
): Promise<Packet> {
  const { def, ...rest } = input;
  const fields = secretFieldsOf(def);
  if (fields.length === 0) return input.after;
  const stored = await deps.ports.storePacketSecrets(trx, deps.vaultKeys, { ...rest, fields });
  if (stored.errors.length)
    throw new AppError('validation_failed', 'The packet is not valid.', stored.errors);
  return stored.packet;
}
