import { Type } from 'typebox';
import { NullableText } from '../accounts/public.js';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Page } from '../kernel/http/schemas.js';
import { PromiseSchema, PromiseStatusSchema } from './promise-schema.js';
import { ScopeItemSchema, ScopeKindSchema } from './scope-item-schema.js';
import { SuccessLadderSchema } from './success-ladder-schema.js';
import { addScopeItem } from './use-cases/add-scope-item.js';
import { getSuccessLadder } from './use-cases/get-success-ladder.js';
import { listPromises } from './use-cases/list-promises.js';
import { listScopeItems } from './use-cases/list-scope-items.js';
import { recordPromise } from './use-cases/record-promise.js';
import { removeScopeItem } from './use-cases/remove-scope-item.js';
import { setSuccessLadder } from './use-cases/set-success-ladder.js';
import { updatePromise } from './use-cases/update-promise.js';
import { updateScopeItem } from './use-cases/update-scope-item.js';

const Rung = (description: string) => NullableText({ maxLength: 2000, description });

const LadderBody = Type.Object(
  {
    goal: Rung("The client's goal, in their own words"),
    metric: Rung('How success is measured'),
    ultimate_objective: Rung('Where the client wants to be in the end'),
    earliest_signal: Rung('The first sign that it is working'),
    minimum_outcome: Rung('The least the client will accept'),
    early_win: Rung('A visible result within the first month'),
  },
  { additionalProperties: false },
);

/** Routes of the packet's substance: promises, scope items and the success ladder of an engagement. */
export function substanceRoutes(app: Api, deps: Deps): void {
  const tags = ['substance'];

  app.get(
    '/engagements/:id/promises',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listEngagementPromises',
        summary: 'Promise register of an engagement',
        description:
          'Every commitment made to the client on this engagement, oldest first, optionally of one status.',
        tags,
        params: IdParams,
        querystring: Type.Object(
          { status: Type.Optional(PromiseStatusSchema) },
          { additionalProperties: false },
        ),
        response: { 200: Page(PromiseSchema), ...errorResponses(400, 403, 404) },
      },
    },
    async (request) =>
      listPromises(deps, principalOf(request), { engagementId: request.params.id }, request.query),
  );

  app.post(
    '/engagements/:id/promises',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'recordPromise',
        summary: 'Record a promise',
        description:
          'Adds a commitment to the promise register: what was promised, by whom, in the contract or not. It starts open.',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            text: Type.String({ minLength: 1, maxLength: 2000 }),
            made_by: Type.String({ minLength: 1, maxLength: 200 }),
            in_contract: Type.Boolean(),
            handoff_id: Type.Optional(
              NullableText({ description: 'A handoff of this engagement that carried it' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: PromiseSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await recordPromise(deps, principalOf(request), request.params.id, request.body)),
  );

  app.patch(
    '/promises/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'updatePromise',
        summary: 'Edit a promise or record how it ended',
        description:
          'Rewords a promise or sets its status (open, kept, broken, renegotiated). Moving to broken or renegotiated needs a `status_note` saying what happened; any other move clears the old note unless a new one is sent.',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            text: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
            made_by: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            in_contract: Type.Optional(Type.Boolean()),
            status: Type.Optional(PromiseStatusSchema),
            status_note: Type.Optional(NullableText({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: PromiseSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => updatePromise(deps, principalOf(request), request.params.id, request.body),
  );

  app.get(
    '/handoffs/:id/promises',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listHandoffPromises',
        summary: 'Promises a handoff carried',
        description: "The promises recorded from this handoff's packet or tied to it, oldest first.",
        tags,
        params: IdParams,
        querystring: Type.Object(
          { status: Type.Optional(PromiseStatusSchema) },
          { additionalProperties: false },
        ),
        response: { 200: Page(PromiseSchema), ...errorResponses(400, 403, 404) },
      },
    },
    async (request) =>
      listPromises(deps, principalOf(request), { handoffId: request.params.id }, request.query),
  );

  app.get(
    '/engagements/:id/scope-items',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listEngagementScopeItems',
        summary: 'Scope of an engagement',
        description: 'What is in scope and what is explicitly out of scope, in before out, oldest first.',
        tags,
        params: IdParams,
        querystring: Type.Object({ kind: Type.Optional(ScopeKindSchema) }, { additionalProperties: false }),
        response: { 200: Page(ScopeItemSchema), ...errorResponses(400, 403, 404) },
      },
    },
    async (request) =>
      listScopeItems(deps, principalOf(request), { engagementId: request.params.id }, request.query),
  );

  app.post(
    '/engagements/:id/scope-items',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'addScopeItem',
        summary: 'Add a scope item',
        description:
          'Lists work as in scope or explicitly out of scope. A description the engagement already lists (in or out) is refused with 409.',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            kind: ScopeKindSchema,
            description: Type.String({ minLength: 1, maxLength: 2000 }),
            handoff_id: Type.Optional(
              NullableText({ description: 'A handoff of this engagement that carried it' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: ScopeItemSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addScopeItem(deps, principalOf(request), request.params.id, request.body)),
  );

  app.patch(
    '/scope-items/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'updateScopeItem',
        summary: 'Edit a scope item',
        description: 'Rewords a scope item or moves it in or out of scope.',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            kind: Type.Optional(ScopeKindSchema),
            description: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ScopeItemSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => updateScopeItem(deps, principalOf(request), request.params.id, request.body),
  );

  app.delete(
    '/scope-items/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'removeScopeItem',
        summary: 'Remove a scope item',
        description: 'Removes a scope item; the audit log keeps what it said.',
        tags,
        params: IdParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await removeScopeItem(deps, principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/handoffs/:id/scope-items',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listHandoffScopeItems',
        summary: 'Scope items a handoff carried',
        description: "The scope items recorded from this handoff's packet or tied to it.",
        tags,
        params: IdParams,
        querystring: Type.Object({ kind: Type.Optional(ScopeKindSchema) }, { additionalProperties: false }),
        response: { 200: Page(ScopeItemSchema), ...errorResponses(400, 403, 404) },
      },
    },
    async (request) =>
      listScopeItems(deps, principalOf(request), { handoffId: request.params.id }, request.query),
  );

  app.get(
    '/engagements/:id/success-ladder',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getSuccessLadder',
        summary: 'Success ladder of an engagement',
        description:
          "The client's goal, success metric, ultimate objective, earliest signal, minimum outcome and early win; every rung null while none is recorded.",
        tags,
        params: IdParams,
        response: { 200: SuccessLadderSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => getSuccessLadder(deps, principalOf(request), request.params.id),
  );

  app.put(
    '/engagements/:id/success-ladder',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'setSuccessLadder',
        summary: 'Set the success ladder',
        description:
          'Replaces the whole ladder: every rung is required, as text or null (blank text counts as null).',
        tags,
        params: IdParams,
        body: LadderBody,
        response: { 200: SuccessLadderSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => setSuccessLadder(deps, principalOf(request), request.params.id, request.body),
  );
}
