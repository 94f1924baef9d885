import { type Static, Type } from 'typebox';
import { Nullable } from '../kernel/http/schemas.js';

/** Ids of a record in other systems, as the API shows them. */
export const ExternalIdsSchema = Type.Record(Type.String(), Type.String(), {
  $id: 'ExternalIds',
  description: 'Ids of the record in other systems, by lower-case system name, e.g. {"salesforce": "006…"}',
});

/** A client organisation, which contacts and engagements belong to. */
export const AccountSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    external_ids: ExternalIdsSchema,
    notes: Nullable(Type.String()),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Account', description: 'A client organisation' },
);

export type Account = Static<typeof AccountSchema>;
