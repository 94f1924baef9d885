/** A scope item is either promised work (in) or work explicitly excluded (out). */
export const SCOPE_KINDS = ['in', 'out'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export function isScopeKind(value: string): value is ScopeKind {
  return (SCOPE_KINDS as readonly string[]).includes(value);
}

/** Descriptions compare without case or spacing, as the packet reconciliation compares them. */
export function sameDescription(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}
