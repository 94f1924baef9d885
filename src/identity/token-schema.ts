import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { TOKEN_SCOPES } from './domain/scopes.js';

export const TokenScopeSchema = StringEnum(TOKEN_SCOPES, {
  $id: 'TokenScope',
  description: 'What a token may be used for (see the bearer security scheme)',
});

/** An API token as listed: never the secret itself. */
export const TokenSchema = Type.Object(
  {
    id: Type.String(),
    user_id: Type.String(),
    name: Type.String(),
    prefix: Type.String(),
    created_at: Type.String(),
    last_used_at: Nullable(Type.String()),
    revoked_at: Nullable(Type.String()),
    scopes: Type.Array(TokenScopeSchema, {
      description: 'What the token may be used for (see the bearer security scheme)',
    }),
  },
  { $id: 'Token', description: 'An API token; the secret is shown once, when it is created' },
);

/** A token just created: the one answer that carries its secret. */
export const IssuedTokenSchema = Type.Object(
  { ...TokenSchema.properties, token: Type.String({ description: 'The secret, shown this once' }) },
  { $id: 'IssuedToken' },
);

export type Token = Static<typeof TokenSchema>;
export type IssuedToken = Static<typeof IssuedTokenSchema>;
