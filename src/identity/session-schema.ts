import { type Static, Type } from 'typebox';
import { TokenScopeSchema } from './token-schema.js';
import { OrganisationSchema, RoleSchema, UserSchema } from './user-schema.js';

/** A web session: who is signed in, and the CSRF token their changes carry. */
export const SessionSchema = Type.Object(
  {
    user: Type.Object({
      id: Type.String(),
      email: Type.String(),
      name: Type.String(),
      role: RoleSchema,
      teams: Type.Array(Type.String(), { description: 'Team keys' }),
    }),
    organisation: OrganisationSchema,
    csrf_token: Type.String({ description: 'Send as X-CSRF-Token on every state-changing request' }),
    expires_at: Type.String(),
  },
  { $id: 'Session', description: 'The signed-in user of a web session' },
);

/** The caller: their user, organisation and the scopes of the credential used. */
export const MeSchema = Type.Object(
  {
    user: UserSchema,
    scopes: Type.Array(TokenScopeSchema, {
      description: "The API token's scopes; every scope for a web session",
    }),
    organisation: OrganisationSchema,
  },
  { $id: 'Me' },
);

export type Session = Static<typeof SessionSchema>;
export type Me = Static<typeof MeSchema>;
