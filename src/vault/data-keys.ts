import { SYSTEM } from '../kernel/actor.js';
import type { Db, Tx } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import { publish } from '../kernel/events.js';
import { newId } from '../kernel/ids.js';
import {
  dataKeyAad,
  newKey,
  open,
  packSealed,
  type Sealed,
  type SecretBinding,
  seal,
  secretAad,
  unpackSealed,
} from './envelope.js';
import { type Keyring, KeyringError } from './keyring.js';

/** An organisation's data key as stored: wrapped by the KEK `kek_id` names (migration 0020-vault). */
export interface OrganisationDataKeysTable {
  id: string;
  org_id: string;
  /** `iv.ciphertext.tag`, base64: the data key sealed under the KEK, bound to org, key id and KEK id. */
  wrapped_key: string;
  kek_id: string;
  created_at: string;
  rewrapped_at: string | null;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    organisation_data_keys: OrganisationDataKeysTable;
  }
}

/** What a sealed secret carries beside its parts: the data key that sealed it. */
export interface SealedSecret extends Sealed {
  dataKeyId: string;
}

/** The keyring the vault works with, or a refusal saying how to give it one. */
export function requireKeyring(keyring: Keyring | undefined): Keyring & { current: string } {
  if (!keyring?.current)
    throw new AppError(
      'conflict',
      `The credential vault has no key-encryption key${keyring ? ` (none in ${keyring.source})` : ''}: set BATON_VAULT_KEY_FILE or BATON_VAULT_KEY, or run \`baton vault keygen\`.`,
    );
  return keyring as Keyring & { current: string };
}

function unwrap(keyring: Keyring, row: OrganisationDataKeysTable): Buffer {
  const kek = keyring.keys.get(row.kek_id);
  if (!kek)
    throw new Error(
      `The vault's data key ${row.id} is wrapped by the key-encryption key ${row.kek_id}, which ${keyring.source} does not hold.`,
    );
  return open(
    kek,
    unpackSealed(row.wrapped_key),
    dataKeyAad(row.org_id, row.id, row.kek_id),
    `data key ${row.id}`,
  );
}

/** The organisation's newest data key, made (and wrapped by the current KEK) when it has none. */
async function currentDataKey(
  db: Db,
  keyring: Keyring,
  orgId: string,
  now: Date,
): Promise<{ id: string; key: Buffer }> {
  const row = await db
    .selectFrom('organisation_data_keys')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (row) return { id: row.id, key: unwrap(keyring, row) };
  const ring = requireKeyring(keyring);
  const id = newId(now.getTime());
  const key = newKey();
  const wrapped = seal(ring.keys.get(ring.current)!, key, dataKeyAad(orgId, id, ring.current));
  await db
    .insertInto('organisation_data_keys')
    .values({
      id,
      org_id: orgId,
      wrapped_key: packSealed(wrapped),
      kek_id: ring.current,
      created_at: now.toISOString(),
      rewrapped_at: null,
    })
    .execute();
  return { id, key };
}

/** Seals a secret value for the record and field `binding` names, with the organisation's data key. */
export async function sealSecret(
  db: Db,
  keyring: Keyring | undefined,
  binding: SecretBinding,
  value: string,
  now: Date,
): Promise<SealedSecret> {
  const ring = requireKeyring(keyring);
  const dataKey = await currentDataKey(db, ring, binding.orgId, now);
  return { ...seal(dataKey.key, Buffer.from(value, 'utf8'), secretAad(binding)), dataKeyId: dataKey.id };
}

/**
 * Opens a sealed secret of the record and field `binding` names: the tag is checked against the
 * binding, so a ciphertext moved to another row, field or organisation throws `VaultIntegrityError`.
 */
export async function openSecret(
  db: Db,
  keyring: Keyring | undefined,
  binding: SecretBinding,
  sealed: SealedSecret,
): Promise<string> {
  const ring = requireKeyring(keyring);
  const row = await db
    .selectFrom('organisation_data_keys')
    .selectAll()
    .where('org_id', '=', binding.orgId)
    .where('id', '=', sealed.dataKeyId)
    .executeTakeFirst();
  if (!row) throw new Error(`No data key ${sealed.dataKeyId} in the organisation.`);
  const key = unwrap(ring, row);
  return open(key, sealed, secretAad(binding), `secret of ${binding.table} ${binding.rowId}`).toString(
    'utf8',
  );
}

/**
 * Rewraps every data key not yet wrapped by the current KEK with it: each data key is unwrapped
 * and wrapped again, no secret is decrypted. Run in one transaction, so a failure leaves every
 * key as it was. Each rewrap publishes `vault.data_key_rewrapped` (audited in its organisation).
 * Answers how many were rewrapped, and the KEK ids no data key needs any more.
 */
export async function rewrapDataKeys(
  db: Tx,
  keyring: Keyring | undefined,
  now: Date,
): Promise<{ rewrapped: number; total: number; kek: string; unused: string[] }> {
  const ring = requireKeyring(keyring);
  const kek = ring.keys.get(ring.current)!;
  const rows = await db.selectFrom('organisation_data_keys').selectAll().orderBy('id').execute();
  let rewrapped = 0;
  for (const row of rows) {
    if (row.kek_id === ring.current) continue;
    const key = unwrap(ring, row);
    const wrapped = seal(kek, key, dataKeyAad(row.org_id, row.id, ring.current));
    await db
      .updateTable('organisation_data_keys')
      .set({ wrapped_key: packSealed(wrapped), kek_id: ring.current, rewrapped_at: now.toISOString() })
      .where('id', '=', row.id)
      .where('kek_id', '=', row.kek_id)
      .executeTakeFirstOrThrow();
    await publish(db, {
      type: 'vault.data_key_rewrapped',
      orgId: row.org_id,
      actor: SYSTEM,
      at: now,
      dataKeyId: row.id,
      fromKek: row.kek_id,
      toKek: ring.current,
    });
    rewrapped++;
  }
  const unused = [...ring.keys.keys()].filter((id) => id !== ring.current);
  return { rewrapped, total: rows.length, kek: ring.current, unused };
}

/** The KEK ids that wrap some data key but that the keyring does not hold: the server will not start. */
export async function missingKeks(db: Db, keyring: Keyring): Promise<{ kekId: string; dataKeys: number }[]> {
  const rows = await db
    .selectFrom('organisation_data_keys')
    .select(['kek_id'])
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .groupBy('kek_id')
    .orderBy('kek_id')
    .execute();
  return rows
    .filter((r) => !keyring.keys.has(r.kek_id))
    .map((r) => ({ kekId: r.kek_id, dataKeys: Number(r.n) }));
}

/**
 * Refuses to go on (throws, naming the key ids and where keys were looked for) when a data key is
 * wrapped by a KEK the keyring does not hold: the process could not open those secrets.
 */
export async function requireEveryKek(db: Db, keyring: Keyring): Promise<void> {
  const missing = await missingKeks(db, keyring);
  if (missing.length === 0) return;
  throw new KeyringError(
    `The credential vault cannot open its data keys: ${missing
      .map((m) => `${m.dataKeys} data key(s) are wrapped by the key-encryption key ${m.kekId}`)
      .join(
        '; ',
      )}, which ${keyring.source} does not hold. Restore that key (BATON_VAULT_KEY_FILE or BATON_VAULT_KEY) before starting.`,
  );
}
