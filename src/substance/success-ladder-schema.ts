import { type Static, Type } from 'typebox';
import { Nullable } from '../kernel/http/schemas.js';

/** What success means to the client, from their own goal to the early win. */
export const SuccessLadderSchema = Type.Object(
  {
    engagement_id: Type.String(),
    handoff_id: Nullable(Type.String({ description: 'The handoff whose packet last set it' })),
    goal: Nullable(Type.String({ description: "The client's goal, in their own words" })),
    metric: Nullable(Type.String({ description: 'How success is measured' })),
    ultimate_objective: Nullable(Type.String({ description: 'Where the client wants to be in the end' })),
    earliest_signal: Nullable(Type.String({ description: 'The first sign that it is working' })),
    minimum_outcome: Nullable(Type.String({ description: 'The least the client will accept' })),
    early_win: Nullable(Type.String({ description: 'A visible result within the first month' })),
    updated_at: Nullable(Type.String({ description: 'Null while nothing has been recorded' })),
  },
  { $id: 'SuccessLadder', description: "The engagement's success ladder; every rung null until recorded" },
);

export type SuccessLadder = Static<typeof SuccessLadderSchema>;
