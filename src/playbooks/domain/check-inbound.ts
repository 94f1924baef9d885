/**
 * Checks a playbook's `inbound` mapping (docs/integrations-inbound.md) against the rest of the
 * document: the transition it opens exists, each packet target names a field of that transition
 * whose type a single value can fill, each target is filled by one entry, and each source is one of
 * the CRMs Baton hears.
 */

/** The CRM kinds a `maps_from` entry may read (`src/integrations/domain/inbound-kinds.ts`). */
export const INBOUND_CRM_KINDS = ['hubspot', 'salesforce', 'pipedrive'] as const;

/** Field types one value of a deal can fill. */
export const INBOUND_FIELD_TYPES = [
  'text',
  'long_text',
  'number',
  'money',
  'date',
  'enum',
  'yes_no',
] as const;

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function checkInbound(raw: Raw): { path: string; message: string }[] {
  const inbound = raw.inbound;
  if (!isRecord(inbound)) return [];
  const issues: { path: string; message: string }[] = [];
  const transition = listOf(raw.transitions).find(
    (t): t is Raw => isRecord(t) && t.key === inbound.transition,
  );
  if (typeof inbound.transition === 'string' && !transition) {
    const keys = listOf(raw.transitions).flatMap((t) => (isRecord(t) ? [String(t.key)] : []));
    issues.push({
      path: '/inbound/transition',
      message: `unknown transition "${inbound.transition}"; the transitions are: ${keys.join(', ')}`,
    });
  }
  const seen = new Map<string, number>();
  listOf(inbound.fields).forEach((entry, index) => {
    if (!isRecord(entry) || typeof entry.to !== 'string') return;
    const first = seen.get(entry.to);
    if (first !== undefined)
      issues.push({
        path: `/inbound/fields/${index}/to`,
        message: `"${entry.to}" is filled by /inbound/fields/${first} already`,
      });
    else seen.set(entry.to, index);
    const packet = /^packet\.([^.]+)\.([^.]+)$/.exec(entry.to);
    if (packet && transition) {
      const section = listOf(transition.sections).find((s): s is Raw => isRecord(s) && s.key === packet[1]);
      const field = section
        ? listOf(section.fields).find((f): f is Raw => isRecord(f) && f.key === packet[2])
        : undefined;
      if (!field)
        issues.push({
          path: `/inbound/fields/${index}/to`,
          message: `the transition ${String(transition.key)} has no field ${packet[1]}.${packet[2]}`,
        });
      else if (!(INBOUND_FIELD_TYPES as readonly unknown[]).includes(field.type))
        issues.push({
          path: `/inbound/fields/${index}/to`,
          message: `a ${String(field.type)} field cannot be filled from one value of a deal (only ${INBOUND_FIELD_TYPES.join(', ')})`,
        });
    }
    listOf(entry.maps_from).forEach((from, j) => {
      const kind = typeof from === 'string' ? from.split('.')[0] : undefined;
      if (kind !== undefined && !(INBOUND_CRM_KINDS as readonly string[]).includes(kind))
        issues.push({
          path: `/inbound/fields/${index}/maps_from/${j}`,
          message: `unknown source kind "${kind}" (one of ${INBOUND_CRM_KINDS.join(', ')})`,
        });
    });
  });
  return issues;
}
