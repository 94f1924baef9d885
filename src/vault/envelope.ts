import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Envelope encryption, the computation only (decision 0011-vault): AES-256-GCM with a random
 * 96-bit IV and a 128-bit tag, checked on every decrypt, over associated data that binds what is
 * sealed to where it belongs. A data key seals secrets; a key-encryption key (KEK) seals data keys.
 */

/** Bytes of every key here: AES-256. */
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** What was sealed: each part base64, kept apart so none is ever mistaken for another. */
export interface Sealed {
  ciphertext: string;
  iv: string;
  tag: string;
}

/**
 * Where a secret belongs: its organisation, its record (table and row id) and field. Sealed as
 * associated data, so a ciphertext copied onto another row, field or organisation fails the tag.
 */
export interface SecretBinding {
  orgId: string;
  table: string;
  rowId: string;
  field: string;
}

/** A sealed value whose tag does not match: tampered with, moved, or sealed under another key. */
export class VaultIntegrityError extends Error {
  constructor(what: string) {
    super(
      `The ${what} does not decrypt: it was altered, moved to another record, or sealed with another key.`,
    );
    this.name = 'VaultIntegrityError';
  }
}

/**
 * The associated data of a secret: a JSON array, so no choice of ids can make two bindings read
 * alike. The version word lets a later layout live beside this one.
 */
export function secretAad(binding: SecretBinding): Buffer {
  return Buffer.from(
    JSON.stringify(['baton-vault-secret/1', binding.orgId, binding.table, binding.rowId, binding.field]),
  );
}

/** The associated data of a wrapped data key: its organisation, its own id and the KEK's id. */
export function dataKeyAad(orgId: string, dataKeyId: string, kekId: string): Buffer {
  return Buffer.from(JSON.stringify(['baton-vault-data-key/1', orgId, dataKeyId, kekId]));
}

/** A fresh random 256-bit key. */
export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Seals `plain` under `key` with a fresh random IV, binding `aad`. */
export function seal(key: Buffer, plain: Buffer, aad: Buffer): Sealed {
  if (key.length !== KEY_BYTES) throw new Error('A vault key is 32 bytes.');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    ciphertext: ciphertext.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/**
 * Opens what `seal` made, checking the tag against `aad`; throws `VaultIntegrityError` (naming
 * `what`, never the content) when anything differs.
 */
export function open(key: Buffer, sealed: Sealed, aad: Buffer, what: string): Buffer {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (key.length !== KEY_BYTES || iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
    throw new VaultIntegrityError(what);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  } catch {
    throw new VaultIntegrityError(what);
  }
}

/** A wrapped key as stored in one column: `iv.ciphertext.tag`, each base64. */
export function packSealed(sealed: Sealed): string {
  return `${sealed.iv}.${sealed.ciphertext}.${sealed.tag}`;
}

export function unpackSealed(packed: string): Sealed {
  const [iv = '', ciphertext = '', tag = ''] = packed.split('.');
  return { iv, ciphertext, tag };
}
