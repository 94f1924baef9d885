import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Page } from '../kernel/http/schemas.js';
import { AccountSchema } from './account-schema.js';
import { ContactRoleSchema, ContactSchema } from './contact-schema.js';
import { MAX_EXTERNAL_IDS } from './domain/field-checks.js';
import { EngagementDetailSchema, EngagementSchema } from './engagement-schema.js';
import { createAccount } from './use-cases/create-account.js';
import { createContact } from './use-cases/create-contact.js';
import { createEngagement } from './use-cases/create-engagement.js';
import { getAccount } from './use-cases/get-account.js';
import { getContact } from './use-cases/get-contact.js';
import { getEngagement } from './use-cases/get-engagement.js';
import { listAccounts } from './use-cases/list-accounts.js';
import { listContacts } from './use-cases/list-contacts.js';
import { listEngagements } from './use-cases/list-engagements.js';
import { updateAccount } from './use-cases/update-account.js';
import { updateContact } from './use-cases/update-contact.js';
import { updateEngagement } from './use-cases/update-engagement.js';

/**
 * A request field that may be text or null (null clears it). One JSON-Schema type list rather
 * than a union, so a wrong value earns one error message, not one per branch.
 */
export const NullableText = (
  options: { maxLength?: number; minLength?: number; format?: string; description?: string } = {},
) => Type.Unsafe<string | null>({ type: ['string', 'null'], ...options });

const ExternalIds = Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: 200 }), {
  maxProperties: MAX_EXTERNAL_IDS,
  description: 'Ids of the record in other systems, by lower-case system name, e.g. {"salesforce": "006…"}',
});

/** The `external_id` filter of the list routes. */
const ExternalIdFilter = Type.Optional(
  Type.String({
    minLength: 1,
    maxLength: 251,
    description:
      'Only records carrying this id of another system: `system:id` (e.g. `salesforce:006…`), or an id in any system (`DEAL-1042`). A value whose prefix could be a system name also matches as a whole id.',
  }),
);

const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

/** Routes of accounts, their contacts and engagements: validate, call the use case, shape the answer. */
export function accountRoutes(app: Api, deps: Deps): void {
  const tags = ['accounts'];

  app.post(
    '/accounts',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'createAccount',
        summary: 'Create an account',
        description: 'Records a client organisation, which contacts and engagements belong to.',
        tags,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 300 }),
            external_ids: Type.Optional(ExternalIds),
            notes: Type.Optional(NullableText({ maxLength: 10_000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: AccountSchema, ...errorResponses(400, 403) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createAccount(deps, principalOf(request), request.body)),
  );

  app.get(
    '/accounts',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listAccounts',
        summary: 'List accounts',
        description:
          'Accounts of the organisation by name; `q` keeps those whose name contains it, in any case, and `external_id` those carrying that id of another system.',
        tags,
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 300, description: 'Part of the name' })),
            external_id: ExternalIdFilter,
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(AccountSchema), ...errorResponses(400, 403) },
      },
    },
    async (request) => listAccounts(deps, principalOf(request), request.query),
  );

  app.get(
    '/accounts/:id',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getAccount',
        summary: 'Get an account',
        description: 'One account of the organisation.',
        tags,
        params: IdParams,
        response: { 200: AccountSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => getAccount(deps, principalOf(request), request.params.id),
  );

  app.patch(
    '/accounts/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'updateAccount',
        summary: 'Edit an account',
        description:
          'Renames the account or replaces its external ids (the whole map) or notes (null clears).',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
            external_ids: Type.Optional(ExternalIds),
            notes: Type.Optional(NullableText({ maxLength: 10_000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: AccountSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => updateAccount(deps, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/contacts',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'createContact',
        summary: 'Create a contact',
        description:
          'Names a person at an account and their role in the deal (buyer, champion, decision maker…).',
        tags,
        body: Type.Object(
          {
            account_id: Type.String(),
            name: Type.String({ minLength: 1, maxLength: 300 }),
            email: Type.Optional(NullableText({ format: 'email', maxLength: 254 })),
            phone: Type.Optional(NullableText({ maxLength: 50 })),
            title: Type.Optional(NullableText({ maxLength: 200, description: 'Job title' })),
            role: ContactRoleSchema,
            external_ids: Type.Optional(ExternalIds),
          },
          { additionalProperties: false },
        ),
        response: { 201: ContactSchema, ...errorResponses(400, 403) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createContact(deps, principalOf(request), request.body)),
  );

  app.get(
    '/contacts',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listContacts',
        summary: 'List contacts',
        description:
          'Contacts of the organisation by name, optionally of one account, in one role, or carrying one id of another system.',
        tags,
        querystring: Type.Object(
          {
            account_id: Type.Optional(Type.String()),
            role: Type.Optional(ContactRoleSchema),
            external_id: ExternalIdFilter,
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(ContactSchema), ...errorResponses(400, 403) },
      },
    },
    async (request) => listContacts(deps, principalOf(request), request.query),
  );

  app.get(
    '/contacts/:id',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getContact',
        summary: 'Get a contact',
        description: 'One contact of the organisation.',
        tags,
        params: IdParams,
        response: { 200: ContactSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => getContact(deps, principalOf(request), request.params.id),
  );

  app.patch(
    '/contacts/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'updateContact',
        summary: 'Edit a contact',
        description:
          "Corrects a contact's name, e-mail, phone, title, role or external ids (the whole map); null clears an optional field.",
        tags,
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
            email: Type.Optional(NullableText({ format: 'email', maxLength: 254 })),
            phone: Type.Optional(NullableText({ maxLength: 50 })),
            title: Type.Optional(NullableText({ maxLength: 200 })),
            role: Type.Optional(ContactRoleSchema),
            external_ids: Type.Optional(ExternalIds),
          },
          { additionalProperties: false },
        ),
        response: { 200: ContactSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => updateContact(deps, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/engagements',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'createEngagement',
        summary: 'Create an engagement',
        description:
          'Opens an engagement: one piece of work sold to an account, carried forward by handoffs.',
        tags,
        body: Type.Object(
          {
            account_id: Type.String(),
            name: Type.String({ minLength: 1, maxLength: 300 }),
            stage: Type.Optional(NullableText({ maxLength: 100 })),
            owner_id: Type.Optional(NullableText({ description: 'A user of the organisation' })),
            external_ids: Type.Optional(ExternalIds),
            contract_signed_at: Type.Optional(
              NullableText({ format: 'date-time', description: 'ISO-8601 with a time zone; stored as UTC' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: EngagementSchema, ...errorResponses(400, 403) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createEngagement(deps, principalOf(request), request.body)),
  );

  app.get(
    '/engagements',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listEngagements',
        summary: 'List engagements',
        description:
          'Engagements of the organisation, newest first, filtered by account, stage, owner or an id of another system.',
        tags,
        querystring: Type.Object(
          {
            account_id: Type.Optional(Type.String()),
            stage: Type.Optional(Type.String()),
            owner: Type.Optional(Type.String({ description: '`me` or a user id' })),
            external_id: ExternalIdFilter,
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(EngagementSchema), ...errorResponses(400, 403) },
      },
    },
    async (request) => listEngagements(deps, principalOf(request), request.query),
  );

  app.get(
    '/engagements/:id',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getEngagement',
        summary: 'Get an engagement',
        description: 'One engagement of the organisation, with the number of its handoffs in each state.',
        tags,
        params: IdParams,
        response: { 200: EngagementDetailSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => getEngagement(deps, principalOf(request), request.params.id),
  );

  app.patch(
    '/engagements/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'updateEngagement',
        summary: 'Edit an engagement',
        description:
          'Renames the engagement or changes its stage, owner, external ids (the whole map) or contract signing date; null clears.',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
            stage: Type.Optional(NullableText({ maxLength: 100 })),
            owner_id: Type.Optional(NullableText()),
            external_ids: Type.Optional(ExternalIds),
            contract_signed_at: Type.Optional(NullableText({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: EngagementSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => updateEngagement(deps, principalOf(request), request.params.id, request.body),
  );
}
