import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { SCOPE_KINDS } from './domain/scope-kind.js';

export const ScopeKindSchema = StringEnum(SCOPE_KINDS, {
  $id: 'ScopeKind',
  description: 'in: promised work; out: work explicitly excluded',
});

/** Work in scope, or explicitly out of it. */
export const ScopeItemSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    handoff_id: Nullable(Type.String({ description: 'The handoff that carried it' })),
    kind: ScopeKindSchema,
    description: Type.String(),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'ScopeItem', description: 'Work in scope, or explicitly out of it' },
);

export type ScopeItem = Static<typeof ScopeItemSchema>;
