import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_RANGE,
  EMPTY_ROOT,
  extendRange,
  inclusionProof,
  leafHash,
  rangeRoot,
  treeRoot,
  verifyInclusion,
} from './merkle.js';

// The reference leaves and tree heads every RFC 6962 implementation is checked against.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => leafHash(Buffer.from(h, 'hex')));
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const hex = (b: Buffer) => b.toString('hex');
const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(`entry ${i}`));

describe('Merkle tree hashing (RFC 6962)', () => {
  it('gives the reference tree heads for every size from 0 to 8, by recursion and by compact range', () => {
    expect(hex(EMPTY_ROOT)).toBe(CT_ROOTS[0]);
    for (let n = 0; n <= 8; n++) {
      expect(hex(treeRoot(CT_LEAVES.slice(0, n))), `size ${n}`).toBe(CT_ROOTS[n]);
      expect(hex(rangeRoot(extendRange(EMPTY_RANGE, CT_LEAVES.slice(0, n)))), `size ${n}`).toBe(CT_ROOTS[n]);
    }
  });

  it('gives the reference inclusion proofs', () => {
    expect(inclusionProof(CT_LEAVES, 0).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(CT_LEAVES, 5).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('keeps the compact range equal to the recursive root however the leaves are appended', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 30 }), (chunks) => {
        const leaves = leavesOf(chunks.reduce((a, b) => a + b, 0));
        let range = EMPTY_RANGE;
        let at = 0;
        for (const c of chunks) {
          range = extendRange(range, leaves.slice(at, at + c));
          at += c;
          expect(range.size).toBe(at);
          expect(hex(rangeRoot(range))).toBe(hex(treeRoot(leaves.slice(0, at))));
        }
      }),
    );
  });

  it("verifies every leaf's proof in trees of every size up to 70, and refuses any change", () => {
    const all = leavesOf(71);
    for (let n = 1; n <= 70; n++) {
      const leaves = all.slice(0, n);
      const root = treeRoot(leaves);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(leaves, i);
        expect(verifyInclusion(leaves[i]!, i, n, proof, root), `leaf ${i} of ${n}`).toBe(true);
        const other = (i + 1) % n;
        if (other !== i) expect(verifyInclusion(leaves[other]!, i, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaves[i]!, i, n, proof, treeRoot(all.slice(0, n + 1)))).toBe(false);
        if (proof.length > 0) {
          const bent = proof.map((p, k) => (k === proof.length - 1 ? leafHash(p) : p));
          expect(verifyInclusion(leaves[i]!, i, n, bent, root)).toBe(false);
          expect(verifyInclusion(leaves[i]!, i, n, proof.slice(1), root)).toBe(false);
        }
      }
      expect(verifyInclusion(leaves[0]!, n, n, [], root)).toBe(false);
    }
  });
});
