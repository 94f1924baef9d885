import { createHash, randomBytes } from 'node:crypto';

/** API tokens: `bat_` + 32 random bytes. Only the SHA-256 is stored; the token is shown once. */
export function generateToken(): { token: string; hash: string; prefix: string } {
  const token = `bat_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, 10) };
}

/** The stored form of a token. A fast hash is right here: tokens carry 256 bits of entropy. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
