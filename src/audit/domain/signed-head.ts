import { createHash, type KeyObject, sign, verify } from 'node:crypto';

/**
 * Signed tree heads in the format transparency logs share: the body is a C2SP `tlog-checkpoint`
 * (origin, tree size in decimal, base64 root hash, one per line) and the whole is a C2SP
 * `signed-note`: the body, a blank line, then one line per signature,
 * `— <key name> <base64(key id ‖ Ed25519 signature)>`, where the key id is the first four bytes
 * of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key). Go's sumdb, Sigstore and the public witnesses
 * read exactly this, so any of their verifiers can check Baton's heads.
 */

export interface TreeHead {
  origin: string;
  size: number;
  /** The root hash, 32 bytes. */
  root: Buffer;
}

/** The origin line of an organisation's log. */
export function originOf(orgId: string): string {
  return `baton/audit/${orgId}`;
}

/** The checkpoint body: three lines, each ending in a newline. */
export function checkpointBody(head: TreeHead): string {
  return `${head.origin}\n${head.size}\n${head.root.toString('base64')}\n`;
}

/** The 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' }) as { crv?: string; x?: string };
  if (jwk.crv !== 'Ed25519' || !jwk.x) throw new Error('The key is not an Ed25519 key.');
  return Buffer.from(jwk.x, 'base64url');
}

/** The signed-note key id of an Ed25519 key under a name. */
export function keyId(name: string, publicKey: KeyObject): Buffer {
  return createHash('sha256')
    .update(`${name}\n`)
    .update(Buffer.from([0x01]))
    .update(rawPublicKey(publicKey))
    .digest()
    .subarray(0, 4);
}

/** Signs a tree head: the note text, ready to publish. */
export function signHead(
  head: TreeHead,
  keyName: string,
  privateKey: KeyObject,
  publicKey: KeyObject,
): string {
  const body = checkpointBody(head);
  const signature = sign(null, Buffer.from(body, 'utf8'), privateKey);
  const blob = Buffer.concat([keyId(keyName, publicKey), signature]).toString('base64');
  return `${body}\n\u2014 ${keyName} ${blob}\n`;
}

export type OpenedHead = { ok: true; head: TreeHead } | { ok: false; reason: string };

/**
 * Reads a signed note and checks the signature of `keyName` on it with `publicKey`; answers the
 * tree head it vouches for, or why not.
 */
export function openSignedHead(note: string, keyName: string, publicKey: KeyObject): OpenedHead {
  const split = note.indexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return { ok: false, reason: 'not a signed note' };
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  const origin = lines[0] ?? '';
  const sizeText = lines[1] ?? '';
  const rootText = lines[2] ?? '';
  if (!origin || !/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !/^[A-Za-z0-9+/]{43}=$/.test(rootText))
    return { ok: false, reason: 'the body is not a checkpoint (origin, size, base64 root)' };
  const id = keyId(keyName, publicKey);
  for (const line of note.slice(split + 2).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m || m[1] !== keyName) continue;
    const blob = Buffer.from(m[2]!, 'base64');
    if (blob.length !== 68 || !blob.subarray(0, 4).equals(id)) continue;
    if (verify(null, Buffer.from(body, 'utf8'), publicKey, blob.subarray(4))) {
      return { ok: true, head: { origin, size: Number(sizeText), root: Buffer.from(rootText, 'base64') } };
    }
    return { ok: false, reason: `the signature of ${keyName} does not match` };
  }
  return { ok: false, reason: `no signature of ${keyName} with this key` };
}
