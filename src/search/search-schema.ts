import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';

/** What a search found, by kind; each list best match first (its text starts with the query). */
export const SearchResultsSchema = Type.Object(
  {
    q: Type.String({ description: 'The text searched for, trimmed' }),
    handoffs: Type.Array(
      Type.Object({
        id: Type.String(),
        title: Type.String(),
        state: Type.String({ description: 'The handoff state' }),
        engagement_id: Type.String(),
        sending_team: Type.String({ description: 'The sending team name' }),
        receiving_team: Type.String({ description: 'The receiving team name' }),
      }),
    ),
    accounts: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
    engagements: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        stage: Nullable(Type.String()),
        account_id: Type.String(),
        account_name: Type.String(),
      }),
    ),
    people: Type.Array(
      Type.Object({
        kind: StringEnum(['contact', 'user'] as const, {
          description: "`contact`: a client's person, of an account; `user`: a person of the organisation",
        }),
        id: Type.String(),
        name: Type.String(),
        email: Nullable(Type.String()),
        detail: Nullable(Type.String({ description: "A contact's job title, or a user's role" })),
        account_id: Nullable(Type.String({ description: "The contact's account; null for a user" })),
        account_name: Nullable(Type.String()),
      }),
    ),
  },
  {
    $id: 'SearchResults',
    description: 'Handoffs, accounts, engagements and people of the organisation matching a text',
  },
);

export type SearchResults = Static<typeof SearchResultsSchema>;
