import { pointer } from './json-pointer.js';
import type { Packet, TransitionDef } from './playbook.js';

/** One field whose value differs between two packets. */
export interface FieldChange {
  /** JSON pointer of the field in the packet, e.g. `/scope/in_scope`. */
  path: string;
  /** `section.field`. */
  field: string;
  /** The field's label, or its key when the playbook does not define it. */
  label: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

type Values = Record<string, unknown>;

const isObject = (value: unknown): value is Values =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Lists the fields whose values differ between two packets (deep equality), in playbook order, followed
 * by values of fields the playbook does not define. A field set to `undefined` counts as absent.
 *
 * Example: `diffPackets(t, { scope: { in_scope: ['A'] } }, { scope: { in_scope: ['A', 'B'] } })` is
 * `[{ path: '/scope/in_scope', field: 'scope.in_scope', label: 'In-scope work', change: 'changed', ... }]`.
 */
export function diffPackets(transition: TransitionDef, before: Packet, after: Packet): FieldChange[] {
  const changes: FieldChange[] = [];
  const compare = (sectionKey: string, fieldKey: string, label: string): void => {
    const a = fieldValue(before, sectionKey, fieldKey);
    const b = fieldValue(after, sectionKey, fieldKey);
    if (deepEqual(a, b)) return;
    const change: FieldChange['change'] = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    changes.push({
      path: pointer([sectionKey, fieldKey]),
      field: `${sectionKey}.${fieldKey}`,
      label,
      change,
      ...(a !== undefined ? { before: a } : {}),
      ...(b !== undefined ? { after: b } : {}),
    });
  };

  const known = new Map<string, Set<string>>();
  for (const section of transition.sections) {
    known.set(section.key, new Set(section.fields.map((f) => f.key)));
    for (const field of section.fields) compare(section.key, field.key, field.label);
  }

  // Values the playbook does not define (a packet from an older version, or hand-edited): report them too.
  const extra = new Map<string, Set<string>>();
  for (const packet of [before, after]) {
    if (!isObject(packet)) continue;
    for (const [sectionKey, section] of Object.entries(packet)) {
      if (!isObject(section)) continue;
      for (const fieldKey of Object.keys(section)) {
        if (known.get(sectionKey)?.has(fieldKey)) continue;
        const fields = extra.get(sectionKey) ?? new Set<string>();
        extra.set(sectionKey, fields);
        fields.add(fieldKey);
      }
    }
  }
  for (const [sectionKey, fields] of extra) {
    for (const fieldKey of fields) compare(sectionKey, fieldKey, fieldKey);
  }
  return changes;
}

/** A field's value, or `undefined` when the section or the field is absent. */
function fieldValue(packet: Packet, sectionKey: string, fieldKey: string): unknown {
  const section: unknown =
    isObject(packet) && Object.hasOwn(packet, sectionKey) ? packet[sectionKey] : undefined;
  return isObject(section) && Object.hasOwn(section, fieldKey) ? section[fieldKey] : undefined;
}

/** Structural equality of JSON-like values; object key order does not matter, absent equals `undefined`. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!deepEqual(a[key], b[key])) return false;
    return true;
  }
  return false;
}
