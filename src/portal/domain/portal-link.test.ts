import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../kernel/canonical-json.js';
import { canonicalSha256, packageSha256 } from './closeout-package.js';
import { expiryOf, isTokenShaped, linkState, newLinkToken, SINGLE_USE, tokenSha256 } from './portal-link.js';

const now = new Date('2026-03-02T10:00:00.000Z');
const link = (over: Partial<Parameters<typeof linkState>[0]> = {}) => ({
  single_use: 1,
  expires_at: expiryOf(now, 14).toISOString(),
  used_at: null,
  revoked_at: null,
  ...over,
});

describe('portal links', () => {
  it('makes 256-bit tokens, shaped alike, distinct, kept as their SHA-256', () => {
    const tokens = Array.from({ length: 200 }, () => newLinkToken());
    for (const { token, sha256 } of tokens) {
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(isTokenShaped(token)).toBe(true);
      expect(sha256).toBe(tokenSha256(token));
      expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(tokens.map((t) => t.token)).size).toBe(200);
    expect(isTokenShaped(`${tokens[0]!.token}=`)).toBe(false);
    expect(isTokenShaped('../../etc/passwd')).toBe(false);
  });

  it('is revoked before used before expired, and a reusable link is never used up', () => {
    expect(linkState(link(), now)).toBe('active');
    expect(linkState(link({ expires_at: now.toISOString() }), now)).toBe('expired');
    expect(linkState(link({ used_at: now.toISOString(), expires_at: now.toISOString() }), now)).toBe('used');
    expect(linkState(link({ revoked_at: now.toISOString(), used_at: now.toISOString() }), now)).toBe(
      'revoked',
    );
    expect(linkState(link({ single_use: 0, used_at: now.toISOString() }), now)).toBe('active');
    expect(SINGLE_USE).toEqual({ confirm: false, signoff: true, survey: true });
  });

  it('hashes a package by its canonical JSON, whatever order its keys were built in', () => {
    const a = {
      engagement_id: 'e',
      sections: [{ key: 'k', title: 'T', items: [{ label: 'L', value: 'v' }] }],
    };
    const b = {
      sections: [{ items: [{ value: 'v', label: 'L' }], title: 'T', key: 'k' }],
      engagement_id: 'e',
    };
    expect(packageSha256(a)).toBe(packageSha256(b));
    expect(packageSha256(a)).toBe(canonicalSha256(JSON.parse(canonicalJson(a))));
    expect(packageSha256({ ...a, engagement_id: 'f' })).not.toBe(packageSha256(a));
  });
});
