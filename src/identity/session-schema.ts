import { type Static, Type } from 'typebox';
import { StringEnum } from '../kernel/http/schemas.js';
import { CAPABILITIES } from '../kernel/principal.js';
import { TokenScopeSchema } from './token-schema.js';
import { OrganisationSchema, RoleSchema, UserSchema } from './user-schema.js';

/** A thing a role may do (`src/kernel/principal.ts`). */
export const CapabilitySchema = StringEnum(CAPABILITIES, {
  $id: 'Capability',
  description: 'What a role may do: read, write_records, act_on_handoffs, manage_identity, manage_playbooks',
});

/**
 * What the caller may do with the credential used: the role's capabilities whose token scope the
 * credential holds (`capabilitiesOf`). The web UI shows a control only when it is listed.
 */
const CapabilitiesSchema = Type.Array(CapabilitySchema, {
  description:
    "The role's capabilities that the credential's scopes allow; the server refuses (403) the rest",
});

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
    capabilities: CapabilitiesSchema,
    csrf_token: Type.String({ description: 'Send as X-CSRF-Token on every state-changing request' }),
    expires_at: Type.String(),
  },
  { $id: 'Session', description: 'The signed-in user of a web session' },
);

/** The caller: their user, organisation, what they may do and the scopes of the credential used. */
export const MeSchema = Type.Object(
  {
    user: UserSchema,
    capabilities: CapabilitiesSchema,
    scopes: Type.Array(TokenScopeSchema, {
      description: "The API token's scopes; every scope for a web session",
    }),
    organisation: OrganisationSchema,
  },
  { $id: 'Me' },
);

export type Session = Static<typeof SessionSchema>;
export type Me = Static<typeof MeSchema>;
export type Capability = Static<typeof CapabilitySchema>;
