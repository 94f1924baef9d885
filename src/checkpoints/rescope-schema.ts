import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { RESCOPE_OUTCOMES } from './domain/rescope-outcome.js';

export const RescopeOutcomeSchema = StringEnum(RESCOPE_OUTCOMES, {
  $id: 'RescopeOutcome',
  description: 'What was done about the change: the price, the crew or the date changed, or nothing did',
});

/** A re-scope record: what a confirmation call found changed, and what was done about it. */
export const RescopeSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    handoff_id: Type.String(),
    checkpoint_id: Type.String(),
    changes: Type.Array(
      Type.Object({
        key: Type.String(),
        question: Type.String(),
        answer: Type.String(),
        note: Nullable(Type.String()),
      }),
    ),
    status: StringEnum(['open', 'resolved']),
    created_by: Nullable(Type.String()),
    created_at: Type.String(),
    resolution: Nullable(
      Type.Object({
        outcome: RescopeOutcomeSchema,
        note: Type.String(),
        by: Nullable(Type.String()),
        at: Type.String(),
      }),
    ),
  },
  { $id: 'Rescope', description: 'What a confirmation call found changed, and what was done about it' },
);

export type Rescope = Static<typeof RescopeSchema>;
