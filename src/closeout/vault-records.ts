import type { Db } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import { isId } from '../kernel/ids.js';
import type { SealedSecret } from '../vault/data-keys.js';
import type { SecretBinding } from '../vault/envelope.js';
import { MASK } from './domain/vault-entry.js';
import type { VaultEntry } from './vault-schema.js';

/** A vault entry as stored (migration 0020-vault): the secret only sealed. */
export interface VaultEntriesTable {
  id: string;
  org_id: string;
  engagement_id: string;
  system: string;
  username: string | null;
  url: string | null;
  notes: string | null;
  secret_ciphertext: string;
  secret_iv: string;
  secret_tag: string;
  data_key_id: string;
  packet_field: string | null;
  created_by: string | null;
  created_at: string;
  updated_by: string | null;
  updated_at: string;
  secret_updated_at: string;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    vault_entries: VaultEntriesTable;
  }
}

/** Where an entry's secret belongs, as its ciphertext is bound to it. */
export function bindingOf(row: Pick<VaultEntriesTable, 'org_id' | 'id'>): SecretBinding {
  return { orgId: row.org_id, table: 'vault_entries', rowId: row.id, field: 'secret' };
}

/** The sealed parts of an entry's secret. */
export function sealedOf(row: VaultEntriesTable): SealedSecret {
  return {
    ciphertext: row.secret_ciphertext,
    iv: row.secret_iv,
    tag: row.secret_tag,
    dataKeyId: row.data_key_id,
  };
}

/** The stored columns of a sealed secret. */
export function secretColumns(sealed: SealedSecret) {
  return {
    secret_ciphertext: sealed.ciphertext,
    secret_iv: sealed.iv,
    secret_tag: sealed.tag,
    data_key_id: sealed.dataKeyId,
  };
}

/** An entry as every listing and read shows it: the secret masked, with when it last changed. */
export function toVaultEntryView(row: VaultEntriesTable): VaultEntry {
  const [handoffId, field] = row.packet_field?.split(' ') ?? [];
  return {
    ...describedEntry(row),
    notes: row.notes,
    secret: MASK,
    secret_updated_at: row.secret_updated_at,
    from_packet: handoffId && field ? { handoff_id: handoffId, field } : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The entry with this id on the engagement, in the organisation; `not_found` otherwise. */
export async function loadVaultEntry(
  db: Db,
  orgId: string,
  engagementId: string,
  id: string,
): Promise<VaultEntriesTable> {
  const row = isId(id)
    ? await db
        .selectFrom('vault_entries')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('engagement_id', '=', engagementId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No vault entry ${id} on this engagement.`);
  return row;
}

/** What an event and its audit entry say of an entry: never the secret, sealed or not. */
export function describedEntry(row: VaultEntriesTable) {
  return {
    id: row.id,
    engagement_id: row.engagement_id,
    system: row.system,
    username: row.username,
    url: row.url,
  };
}
