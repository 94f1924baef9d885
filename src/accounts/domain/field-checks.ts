import type { ErrorDetail } from '../../kernel/errors.js';
import { CONTACT_ROLES, isContactRole } from './contact-role.js';

/**
 * Pure checks of record fields. Each answers every problem it finds as `{ path, message }` (an
 * empty list when the value is fine), so a use case can gather all of them before refusing.
 * The HTTP schemas check shapes already; these hold for every caller (API, CLI, imports).
 */

/** Text trimmed, or null when absent or blank. */
export function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** A required piece of text: a string, not blank, at most `max` characters. */
export function checkRequiredText(path: string, value: unknown, max: number): ErrorDetail[] {
  if (typeof value !== 'string') return [{ path, message: 'is required and must be text' }];
  if (!value.trim()) return [{ path, message: 'must not be blank' }];
  if (value.trim().length > max) return [{ path, message: `must be at most ${max} characters` }];
  return [];
}

/** Optional text: absent, null, or a string of at most `max` characters. */
export function checkOptionalText(path: string, value: unknown, max: number): ErrorDetail[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'string') return [{ path, message: 'must be text or null' }];
  if (value.trim().length > max) return [{ path, message: `must be at most ${max} characters` }];
  return [];
}

// Deliberately loose: one @, something on each side, a dot in the domain. Mail servers decide the rest.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An optional e-mail address. */
export function checkEmail(path: string, value: unknown): ErrorDetail[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'string' || !EMAIL.test(value.trim()) || value.trim().length > 254) {
    return [{ path, message: 'must be an e-mail address' }];
  }
  return [];
}

/** An e-mail address as stored: trimmed and lower-cased, so matching by address is exact. */
export function normaliseEmail(value: string | null | undefined): string | null {
  return optionalText(value)?.toLowerCase() ?? null;
}

export function checkContactRole(path: string, value: unknown): ErrorDetail[] {
  if (typeof value === 'string' && isContactRole(value)) return [];
  return [{ path, message: `must be one of ${CONTACT_ROLES.join(', ')}` }];
}

const SYSTEM_KEY = /^[a-z][a-z0-9_.-]{0,49}$/;
export const MAX_EXTERNAL_IDS = 20;

/**
 * Ids of the record in other systems, by system: `{ "salesforce": "006…", "hubspot": "123" }`.
 * Keys are lower-case system names; values are non-blank text.
 */
export function checkExternalIds(path: string, value: unknown): ErrorDetail[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path, message: 'must be an object of system name to id' }];
  }
  const entries = Object.entries(value);
  const errors: ErrorDetail[] = [];
  if (entries.length > MAX_EXTERNAL_IDS)
    errors.push({ path, message: `must have at most ${MAX_EXTERNAL_IDS} entries` });
  for (const [key, id] of entries) {
    const at = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (!SYSTEM_KEY.test(key)) {
      errors.push({
        path: at,
        message: 'the system name must be lower-case letters, digits, _ . or - (max 50)',
      });
    }
    if (typeof id !== 'string' || !id.trim()) errors.push({ path: at, message: 'must be a non-blank id' });
    else if (id.length > 200) errors.push({ path: at, message: 'must be at most 200 characters' });
  }
  return errors;
}

/** One way to read an `external_id` filter: an id, in one system or in any. */
export interface ExternalIdMatch {
  system?: string;
  id: string;
}

/**
 * Reads an `external_id` filter. `salesforce:006…` is the id `006…` in the system `salesforce`;
 * a value without a system (`DEAL-1042`) matches that id in any system. A value whose prefix could
 * be a system name is also read whole, so an id that itself holds a colon is found too.
 *
 * Example: `externalIdMatches('crm:DEAL-1')` → `[{ system: 'crm', id: 'DEAL-1' }, { id: 'crm:DEAL-1' }]`.
 */
export function externalIdMatches(value: string): ExternalIdMatch[] {
  const whole = value.trim();
  const colon = whole.indexOf(':');
  const system = whole.slice(0, colon);
  const id = whole.slice(colon + 1).trim();
  return colon > 0 && SYSTEM_KEY.test(system) && id ? [{ system, id }, { id: whole }] : [{ id: whole }];
}

/** External ids as stored: values trimmed. */
export function normaliseExternalIds(value: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(value ?? {}).map(([k, v]) => [k, v.trim()]));
}

// A full ISO-8601 date-time with a time zone: 2026-01-05T09:00:00Z, 2026-01-05T10:00:00.5+01:00.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** An optional instant, ISO-8601 with its time zone. */
export function checkInstant(path: string, value: unknown): ErrorDetail[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    return [{ path, message: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-01-05T09:00:00Z' }];
  }
  return [];
}

/** An instant as stored: UTC, ISO-8601 with milliseconds. */
export function normaliseInstant(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}
