import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { PROMISE_STATUSES } from './domain/promise-status.js';

export const PromiseStatusSchema = StringEnum(PROMISE_STATUSES, {
  $id: 'PromiseStatus',
  description: 'open until closeout; kept, broken or renegotiated say how it ended',
});

/** A commitment made to the client, as the promise register shows it. */
export const PromiseSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    handoff_id: Nullable(Type.String({ description: 'The handoff that carried it' })),
    text: Type.String(),
    made_by: Type.String(),
    in_contract: Type.Boolean({ description: 'True when the contract says it; false for a verbal promise' }),
    status: PromiseStatusSchema,
    status_note: Nullable(Type.String()),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Promise', description: 'A commitment made to the client, in the contract or verbal' },
);

/** A promise of the register (not `Promise`, which would hide the global one). */
export type PromiseRecord = Static<typeof PromiseSchema>;
