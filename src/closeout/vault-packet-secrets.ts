import type { PacketSecrets } from '../handoffs/public.js';
import type { Tx } from '../kernel/context.js';
import type { ErrorDetail } from '../kernel/errors.js';
import { publish } from '../kernel/events.js';
import { isId } from '../kernel/ids.js';
import type { Packet } from '../playbooks/domain/playbook.js';
import { sealSecret } from '../vault/data-keys.js';
import type { Keyring } from '../vault/keyring.js';
import { insertVaultEntry } from './use-cases/vault-add-entry.js';
import { bindingOf, describedEntry, secretColumns } from './vault-records.js';

const referenceOf = (value: unknown): string | null =>
  value !== null && typeof value === 'object' && typeof (value as { vault?: unknown }).vault === 'string'
    ? (value as { vault: string }).vault
    : null;

/**
 * A packet's `secret` fields, kept in the engagement's vault (the `storePacketSecrets` port of
 * handoffs, wired in `src/server/ports.ts`): each new value (a string) is sealed into a vault
 * entry named by the field's label, or replaces the secret of the entry the field already
 * referred to, and the packet keeps `{ vault: <entry id> }`. A reference to an entry the
 * engagement does not have is a problem named by its packet path.
 */
export async function storePacketSecrets(
  trx: Tx,
  keyring: Keyring | undefined,
  input: PacketSecrets,
): Promise<{ packet: Packet; errors: ErrorDetail[] }> {
  const errors: ErrorDetail[] = [];
  let packet = input.after;
  for (const { section, field, label } of input.fields) {
    const value = packet[section]?.[field];
    const path = `/packet/${section}/${field}`;
    const packetField = `${input.handoffId} ${section}.${field}`;
    const entryOf = async (id: string | null) =>
      id && isId(id)
        ? trx
            .selectFrom('vault_entries')
            .selectAll()
            .where('org_id', '=', input.orgId)
            .where('engagement_id', '=', input.engagementId)
            .where('id', '=', id)
            .executeTakeFirst()
        : undefined;
    if (typeof value === 'string') {
      const previous = await entryOf(referenceOf(input.before?.[section]?.[field]));
      let id: string;
      if (previous && previous.packet_field === packetField) {
        const sealed = await sealSecret(trx, keyring, bindingOf(previous), value, input.now);
        const at = input.now.toISOString();
        await trx
          .updateTable('vault_entries')
          .set({
            ...secretColumns(sealed),
            updated_by: input.actor.id,
            updated_at: at,
            secret_updated_at: at,
          })
          .where('id', '=', previous.id)
          .execute();
        await publish(trx, {
          type: 'vault.entry_saved',
          orgId: input.orgId,
          actor: input.actor,
          at: input.now,
          entry: describedEntry(previous),
          before: {},
          after: {},
          secretChanged: true,
        });
        id = previous.id;
      } else {
        const row = await insertVaultEntry(trx, keyring, {
          orgId: input.orgId,
          engagementId: input.engagementId,
          actor: input.actor,
          now: input.now,
          fields: { system: label, secret: value, notes: 'Entered in a handoff packet' },
          packetField,
        });
        id = row.id;
      }
      packet = { ...packet, [section]: { ...packet[section], [field]: { vault: id } } };
    } else if (value !== undefined && value !== null) {
      const ref = referenceOf(value);
      if (!(await entryOf(ref)))
        errors.push({ path, message: 'refers to no vault entry of this engagement' });
    }
  }
  return { packet, errors };
}
