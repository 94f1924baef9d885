import { type Static, Type } from 'typebox';
import { AuditEntrySchema } from '../audit/audit-entry-schema.js';
import { Nullable } from '../kernel/http/schemas.js';
import { HandoffSchema } from './handoff-schema.js';

/** An engagement across the journey: every handoff of it and every audit event it left. */
export const EngagementTimelineSchema = Type.Object(
  {
    engagement: Type.Object({
      id: Type.String(),
      name: Type.String(),
      stage: Nullable(Type.String()),
      account: Type.Object({ id: Type.String(), name: Type.String() }),
    }),
    handoffs: Type.Array(HandoffSchema, { description: 'Oldest first' }),
    events: Type.Array(AuditEntrySchema, { description: 'Oldest first' }),
  },
  { $id: 'EngagementTimeline' },
);

export type EngagementTimeline = Static<typeof EngagementTimelineSchema>;
