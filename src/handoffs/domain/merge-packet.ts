import type { Packet } from '../../playbooks/domain/playbook.js';

/**
 * Applies a packet patch: sections merge field by field, a field's value is replaced whole, and
 * `null` removes a field (or, given for a whole section, the section). Pure; inputs untouched.
 */
export function mergePacket(current: Packet, patch: Record<string, unknown>): Packet {
  const out: Packet = { ...current };
  for (const [section, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[section];
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      // Not a section object: keep it so that validation names it precisely.
      (out as Record<string, unknown>)[section] = value;
      continue;
    }
    const merged: Record<string, unknown> = { ...(out[section] ?? {}) };
    for (const [field, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      if (fieldValue === null) delete merged[field];
      else merged[field] = fieldValue;
    }
    // A section emptied by removals goes; an empty section given as such stays, to be validated.
    if (Object.keys(merged).length === 0 && Object.keys(value).length > 0) delete out[section];
    else out[section] = merged;
  }
  return out;
}

/** The fields whose values differ between two packets, as `section.field` keys. */
export function changedFields(before: Packet, after: Packet): string[] {
  const keys = new Set<string>();
  for (const p of [before, after]) {
    for (const [s, fields] of Object.entries(p)) {
      if (fields && typeof fields === 'object') for (const f of Object.keys(fields)) keys.add(`${s}.${f}`);
      else keys.add(s);
    }
  }
  const get = (p: Packet, key: string) => {
    const [s, f] = key.split('.') as [string, string | undefined];
    const section = (p as Record<string, unknown>)[s];
    return f === undefined ? section : (section as Record<string, unknown> | undefined)?.[f];
  };
  return [...keys].filter((k) => JSON.stringify(get(before, k)) !== JSON.stringify(get(after, k)));
}
