import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { ExternalIdsSchema } from './account-schema.js';
import { CONTACT_ROLES } from './domain/contact-role.js';

export const ContactRoleSchema = StringEnum(CONTACT_ROLES, {
  $id: 'ContactRole',
  description: 'What the person is to the deal',
});

/** A person at an account, and their role in the deal. */
export const ContactSchema = Type.Object(
  {
    id: Type.String(),
    account_id: Type.String(),
    name: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    title: Nullable(Type.String()),
    role: ContactRoleSchema,
    external_ids: ExternalIdsSchema,
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Contact', description: 'A person at an account: buyer, champion, decision maker…' },
);

export type Contact = Static<typeof ContactSchema>;
