import { type Static, Type } from 'typebox';
import { StringEnum } from '../kernel/http/schemas.js';
import { ROLES } from './domain/roles.js';
import { TokenScopeSchema } from './token-schema.js';

export const RoleSchema = StringEnum(ROLES, { $id: 'Role', description: "What the user's role allows" });

/** A user of the organisation, with the keys of their teams. */
export const UserSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    teams: Type.Array(Type.String(), { description: 'Team keys' }),
    disabled: Type.Boolean(),
    created_at: Type.String(),
  },
  { $id: 'User', description: 'A user of the organisation' },
);

/** How the organisation's screens write money, dates and numbers; admins change them. */
export const OrganisationFormatsSchema = Type.Object(
  {
    locale: Type.String({
      minLength: 2,
      maxLength: 35,
      description: 'BCP 47 locale for money, dates and numbers, e.g. en-GB or de-DE',
    }),
    currency: Type.String({
      minLength: 3,
      maxLength: 3,
      description: 'ISO 4217 code a money field starts with, e.g. EUR',
    }),
    brand_color: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 7, description: '#rrggbb the client portal is drawn in' }),
        Type.Null(),
      ]),
    ),
  },
  { $id: 'OrganisationFormats', additionalProperties: false },
);

/** The organisation a caller belongs to. */
export const OrganisationSchema = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    name: Type.String(),
    time_zone: Type.String(),
    ...OrganisationFormatsSchema.properties,
  },
  { $id: 'Organisation' },
);

/** A user just added, with their first API token: the one answer that carries its secret. */
export const CreatedUserSchema = Type.Object(
  {
    user: Type.Object({
      id: Type.String(),
      email: Type.String(),
      name: Type.String(),
      role: RoleSchema,
      teams: Type.Array(Type.String()),
    }),
    token: Type.Object({
      id: Type.String(),
      token: Type.String({ description: 'The secret, shown this once' }),
      prefix: Type.String(),
      scopes: Type.Array(TokenScopeSchema),
    }),
  },
  { $id: 'CreatedUser' },
);

export type User = Static<typeof UserSchema>;
export type Organisation = Static<typeof OrganisationSchema>;
export type OrganisationFormats = Static<typeof OrganisationFormatsSchema>;
export type CreatedUser = Static<typeof CreatedUserSchema>;
