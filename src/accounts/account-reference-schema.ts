import { Type } from 'typebox';

/**
 * How an item of a batch names its account, as fields of the item's schema: `account_id`, or
 * `account_external_id` as `system:id`; exactly one (checked by `resolveAccountReferences`).
 *
 * @example
 *   Type.Object({ ...AccountReferenceFields, kind: … }, { additionalProperties: false })
 */
export const AccountReferenceFields = {
  account_id: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: "The account's Baton id" }),
  ),
  account_external_id: Type.Optional(
    Type.String({
      minLength: 3,
      maxLength: 300,
      description:
        "The account's id in another system, as `system:id` (e.g. `salesforce:001A0000`); give this or `account_id`",
    }),
  ),
};
