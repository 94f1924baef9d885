import { type Static, Type } from 'typebox';
import { Nullable } from '../kernel/http/schemas.js';

/** One entry of an organisation's audit log, as the API lists it. */
export const AuditEntrySchema = Type.Object(
  {
    seq: Type.Integer(),
    at: Type.String(),
    actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
    action: Type.String(),
    entity: Type.Object({ type: Type.String(), id: Type.String() }),
    before: Type.Unknown({ description: 'The changed values before (null for a creation)' }),
    after: Type.Unknown({ description: 'The changed values after (null for a removal)' }),
    hash: Type.String(),
  },
  { $id: 'AuditEntry', description: 'One sealed entry of the hash-chained audit log' },
);

export type AuditEntry = Static<typeof AuditEntrySchema>;
