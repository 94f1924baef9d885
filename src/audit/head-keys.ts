import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The name that signs Baton's tree heads (the signed-note key name). */
export const HEAD_KEY_NAME = 'baton-audit';

/** The key that signs tree heads: it lives outside the database it vouches for. */
export interface HeadSigningKey {
  name: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** Reads the Ed25519 private key (PKCS#8 PEM) at `path`; null when there is no such file. */
export function loadHeadSigningKey(path: string): HeadSigningKey | null {
  if (!existsSync(path)) return null;
  const privateKey = createPrivateKey(readFileSync(path));
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`${path} is not an Ed25519 private key (it is ${privateKey.asymmetricKeyType}).`);
  return { name: HEAD_KEY_NAME, privateKey, publicKey: createPublicKey(privateKey) };
}

/** Makes a new Ed25519 key at `path`, readable by its owner only; refuses to overwrite one. */
export function createHeadSigningKey(path: string): HeadSigningKey {
  if (existsSync(path)) throw new Error(`${path} already exists.`);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { name: HEAD_KEY_NAME, privateKey, publicKey };
}

/** A public key from a PEM file holding either the public key or the private key it belongs to. */
export function loadPublicKey(path: string): KeyObject {
  const pem = readFileSync(path);
  const key = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${path} does not hold an Ed25519 key.`);
  return key;
}

/** The PEM text of a public key, to hand to whoever verifies. */
export function publicKeyPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'spki' }).toString();
}
