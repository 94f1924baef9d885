import type { ErrorDetail } from '../../kernel/errors.js';

/** What every listing and read shows in place of a secret: never its value, nor its length. */
export const MASK = '••••••••';

export const VAULT_LIMITS = {
  system: 200,
  username: 200,
  url: 2000,
  notes: 4000,
  secret: 4000,
  reason: 500,
} as const;

/** The fields of a vault entry a person writes; `secret` is the value sealed, never stored as text. */
export interface VaultEntryInput {
  system?: string;
  username?: string | null;
  url?: string | null;
  notes?: string | null;
  secret?: string;
}

function text(path: string, value: unknown, max: number, required: boolean): ErrorDetail[] {
  if (value === undefined) return required ? [{ path, message: 'is required' }] : [];
  if (value === null && !required) return [];
  if (typeof value !== 'string')
    return [{ path, message: required ? 'must be text' : 'must be text or null' }];
  if (required && !value.trim()) return [{ path, message: 'must not be blank' }];
  if (value.trim().length > max) return [{ path, message: `must be at most ${max} characters` }];
  return [];
}

/**
 * Every problem with a vault entry's fields, by path: a new entry needs a system and a secret; an
 * update, only what it sends. A secret is kept as given (spaces may be part of a password), never
 * echoed in a message.
 */
export function checkVaultEntry(input: VaultEntryInput, mode: 'create' | 'update'): ErrorDetail[] {
  const create = mode === 'create';
  const errors = [
    ...text('/system', input.system, VAULT_LIMITS.system, create || input.system !== undefined),
    ...text('/username', input.username, VAULT_LIMITS.username, false),
    ...text('/url', input.url, VAULT_LIMITS.url, false),
    ...text('/notes', input.notes, VAULT_LIMITS.notes, false),
  ];
  if (input.secret === undefined) {
    if (create) errors.push({ path: '/secret', message: 'is required' });
  } else if (typeof input.secret !== 'string' || input.secret.length === 0) {
    errors.push({ path: '/secret', message: 'must be non-empty text' });
  } else if (input.secret.length > VAULT_LIMITS.secret) {
    errors.push({ path: '/secret', message: `must be at most ${VAULT_LIMITS.secret} characters` });
  }
  return errors;
}

/** The reason a reveal states: required, not blank, at most `VAULT_LIMITS.reason` characters. */
export function checkRevealReason(reason: unknown): ErrorDetail[] {
  return text('/reason', reason, VAULT_LIMITS.reason, true);
}

/** Optional text as stored: trimmed, or null when absent or blank. */
export const trimmedOrNull = (value: string | null | undefined): string | null => value?.trim() || null;
