/**
 * Every kind of audit entry Baton writes, by action: the type of record it is about and what it
 * records of it before and after (`before`/`after` left out are stored as null). Each feature
 * declares its own from a file of its `domain/`, by declaration merging, so this module imports
 * no feature and the union stays closed; where an entry records a domain event, the feature
 * derives it from the event (see `audit-of-events.ts`). For example:
 *
 *   declare module '../../audit/audit-entry.js' {
 *     interface AuditEntries {
 *       'promise.removed': { entityType: 'promise'; before: { text: string } };
 *     }
 *   }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the features, by declaration merging
export interface AuditEntries {}

export type AuditAction = keyof AuditEntries;

/** Where an entry belongs: its record, and the handoff and engagement it concerns. */
export interface AuditLinks {
  entityId: string;
  handoffId?: string | null;
  engagementId?: string | null;
}

/**
 * One audit entry as a use case appends it: a closed union on `action`, so the entity type and
 * the shape of `before` and `after` are checked against the action's declaration.
 */
export type AuditEntry<A extends AuditAction = AuditAction> = {
  [K in A]: { action: K } & AuditLinks & AuditEntries[K];
}[A];

/**
 * `before` or `after` of one action, for code that assembles an entry from parts.
 *
 * @example
 *   const after: AuditAfter<'promise.recorded'> = { text, made_by, in_contract };
 */
export type AuditBefore<A extends AuditAction> = AuditEntries[A] extends { before?: infer B } ? B : never;
export type AuditAfter<A extends AuditAction> = AuditEntries[A] extends { after?: infer B } ? B : never;

/** The fields an update changed, by name, as an entry records them before or after it. */
export type AuditFields = Readonly<Record<string, unknown>>;
