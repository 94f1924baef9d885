import { loadEngagement } from '../../accounts/public.js';
import type { Actor } from '../../kernel/actor.js';
import { type Deps, inTransaction, type Tx } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { sealSecret } from '../../vault/data-keys.js';
import type { Keyring } from '../../vault/keyring.js';
import { checkVaultEntry, trimmedOrNull, type VaultEntryInput } from '../domain/vault-entry.js';
import {
  bindingOf,
  describedEntry,
  secretColumns,
  toVaultEntryView,
  type VaultEntriesTable,
} from '../vault-records.js';
import type { VaultEntry } from '../vault-schema.js';

/**
 * Writes a new entry with its secret sealed, inside `trx`, and publishes `vault.entry_saved`
 * (no value in it). Shared by the vault's own route and by a packet's `secret` field.
 */
export async function insertVaultEntry(
  trx: Tx,
  keyring: Keyring | undefined,
  entry: {
    orgId: string;
    engagementId: string;
    actor: Actor;
    now: Date;
    fields: Required<Pick<VaultEntryInput, 'system' | 'secret'>> & VaultEntryInput;
    packetField?: string;
  },
): Promise<VaultEntriesTable> {
  const id = newId(entry.now.getTime());
  const at = entry.now.toISOString();
  const sealed = await sealSecret(
    trx,
    keyring,
    bindingOf({ org_id: entry.orgId, id }),
    entry.fields.secret,
    entry.now,
  );
  const row = await trx
    .insertInto('vault_entries')
    .values({
      id,
      org_id: entry.orgId,
      engagement_id: entry.engagementId,
      system: entry.fields.system.trim(),
      username: trimmedOrNull(entry.fields.username),
      url: trimmedOrNull(entry.fields.url),
      notes: trimmedOrNull(entry.fields.notes),
      ...secretColumns(sealed),
      packet_field: entry.packetField ?? null,
      created_by: entry.actor.id,
      created_at: at,
      updated_by: entry.actor.id,
      updated_at: at,
      secret_updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const facts = describedEntry(row);
  await publish(trx, {
    type: 'vault.entry_saved',
    orgId: entry.orgId,
    actor: entry.actor,
    at: entry.now,
    entry: facts,
    before: null,
    after: { system: row.system, username: row.username, url: row.url, notes: row.notes },
    secretChanged: true,
  });
  return row;
}

/** Adds a credential to the engagement's vault; answers it masked. */
export async function addVaultEntry(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: VaultEntryInput,
): Promise<VaultEntry> {
  requireCapability(principal, 'write_records', 'add vault entries');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    await loadEngagement(trx, principal.orgId, engagementId);
    const errors = checkVaultEntry(input, 'create');
    if (errors.length) throw new AppError('validation_failed', 'The vault entry is not valid.', errors);
    const row = await insertVaultEntry(trx, deps.vaultKeys, {
      orgId: principal.orgId,
      engagementId,
      actor: { type: 'user', id: principal.userId },
      now,
      fields: { ...input, system: input.system!, secret: input.secret! },
    });
    return toVaultEntryView(row);
  });
}
