import { type Static, Type } from 'typebox';
import { Nullable } from '../kernel/http/schemas.js';

/** A vault entry as listed and read: the secret always masked. */
export const VaultEntrySchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    system: Type.String({ description: 'The system the credential opens (e.g. "Building controller")' }),
    username: Nullable(Type.String()),
    url: Nullable(Type.String()),
    notes: Nullable(Type.String()),
    secret: Type.String({ description: 'Always masked ("••••••••"); reveal it with a stated reason' }),
    secret_updated_at: Type.String({ format: 'date-time', description: 'When the secret last changed' }),
    from_packet: Nullable(
      Type.Object(
        { handoff_id: Type.String(), field: Type.String() },
        { description: "The handoff packet's `secret` field that stored it" },
      ),
    ),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'VaultEntry', description: 'A credential of the engagement; its secret is never listed' },
);
export type VaultEntry = Static<typeof VaultEntrySchema>;

/** A revealed secret: the one answer that carries the value. */
export const RevealedSecretSchema = Type.Object(
  {
    id: Type.String(),
    system: Type.String(),
    username: Nullable(Type.String()),
    secret: Type.String({ description: 'The value, shown this once; the reveal is in the audit log' }),
    revealed_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'RevealedSecret', description: 'A vault secret revealed for a stated reason' },
);
export type RevealedSecret = Static<typeof RevealedSecretSchema>;
