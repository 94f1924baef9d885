import { createHash, generateKeyPairSync } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import { leafHash, treeRoot } from './merkle.js';
import { checkpointBody, keyId, openSignedHead, originOf, rawPublicKey, signHead } from './signed-head.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const head = { origin: originOf('org-1'), size: 3, root: treeRoot(['a', 'b', 'c'].map((x) => leafHash(x))) };

describe('signed tree heads', () => {
  it('is a tlog-checkpoint in a signed note that an independent Ed25519 verifier accepts', async () => {
    const note = signHead(head, 'baton-audit', privateKey, publicKey);
    const [body, signatures] = note.split('\n\n');
    expect(`${body}\n`).toBe(checkpointBody(head));
    expect(body!.split('\n')).toEqual(['baton/audit/org-1', '3', head.root.toString('base64')]);
    const m = /^\u2014 baton-audit ([A-Za-z0-9+/=]+)\n$/.exec(signatures!);
    expect(m).not.toBeNull();
    const blob = Buffer.from(m![1]!, 'base64');
    // key id = SHA-256(name ‖ "\n" ‖ 0x01 ‖ key)[:4], computed here from the spec, not by the code under test
    const expectedId = createHash('sha256')
      .update(Buffer.concat([Buffer.from('baton-audit\n'), Buffer.from([1]), rawPublicKey(publicKey)]))
      .digest()
      .subarray(0, 4);
    expect(blob.subarray(0, 4)).toEqual(expectedId);
    const ok = await ed.verifyAsync(
      new Uint8Array(blob.subarray(4)),
      new Uint8Array(Buffer.from(`${body}\n`)),
      new Uint8Array(rawPublicKey(publicKey)),
    );
    expect(ok).toBe(true);
  });

  it('opens its own notes and refuses a changed size, root, origin, key or signature', () => {
    const note = signHead(head, 'baton-audit', privateKey, publicKey);
    const opened = openSignedHead(note, 'baton-audit', publicKey);
    expect(opened.ok && opened.head.size === 3 && opened.head.root.equals(head.root)).toBe(true);
    expect(openSignedHead(note.replace('\n3\n', '\n4\n'), 'baton-audit', publicKey)).toMatchObject({
      ok: false,
    });
    expect(openSignedHead(note.replace('org-1', 'org-2'), 'baton-audit', publicKey)).toMatchObject({
      ok: false,
    });
    const otherRoot = treeRoot([leafHash('x')]).toString('base64');
    expect(
      openSignedHead(note.replace(head.root.toString('base64'), otherRoot), 'baton-audit', publicKey).ok,
    ).toBe(false);
    const other = generateKeyPairSync('ed25519');
    expect(openSignedHead(note, 'baton-audit', other.publicKey)).toEqual({
      ok: false,
      reason: 'no signature of baton-audit with this key',
    });
    expect(keyId('baton-audit', other.publicKey).equals(keyId('baton-audit', publicKey))).toBe(false);
    const line = note.split('\n').at(-2)!;
    const blob = Buffer.from(line.split(' ')[2]!, 'base64');
    blob[10] = blob[10]! ^ 1;
    const forged = note.replace(line, `\u2014 baton-audit ${blob.toString('base64')}`);
    expect(openSignedHead(forged, 'baton-audit', publicKey)).toEqual({
      ok: false,
      reason: 'the signature of baton-audit does not match',
    });
    expect(openSignedHead('hello', 'baton-audit', publicKey).ok).toBe(false);
  });
});
