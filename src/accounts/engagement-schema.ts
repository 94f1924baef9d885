import { type Static, type TSchema, Type } from 'typebox';
import { HANDOFF_STATES, type HandoffState } from '../handoffs/public.js';
import { Nullable } from '../kernel/http/schemas.js';
import { ExternalIdsSchema } from './account-schema.js';

/** A piece of work sold to an account, which handoffs carry along the journey. */
export const EngagementSchema = Type.Object(
  {
    id: Type.String(),
    account_id: Type.String(),
    name: Type.String(),
    stage: Nullable(Type.String({ description: "The journey stage of the engagement's playbook it is in" })),
    owner_id: Nullable(Type.String()),
    external_ids: ExternalIdsSchema,
    contract_signed_at: Nullable(Type.String({ description: 'UTC instant' })),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Engagement', description: 'A piece of work sold to an account' },
);

/** One engagement, with how many handoffs it has in each state. */
export const EngagementDetailSchema = Type.Object(
  {
    ...EngagementSchema.properties,
    handoffs: Type.Object({
      total: Type.Integer(),
      by_state: Type.Unsafe<Record<HandoffState, number>>(
        Type.Object(
          Object.fromEntries(HANDOFF_STATES.map((s) => [s, Type.Integer()])) as Record<string, TSchema>,
          { description: 'Every state, zero when the engagement has no handoff in it' },
        ),
      ),
    }),
  },
  { $id: 'EngagementDetail' },
);

export type Engagement = Static<typeof EngagementSchema>;
export type EngagementDetail = Static<typeof EngagementDetailSchema>;
