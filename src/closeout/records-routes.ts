import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Page } from '../kernel/http/schemas.js';
import {
  CloseoutStatusSchema,
  DebriefBody,
  DebriefSchema,
  NewPunchItemBody,
  PunchItemChangesBody,
  PunchItemSchema,
  TrainingRecordBody,
  TrainingRecordSchema,
  WarrantySchema,
  warrantyBody,
} from './records-schema.js';
import { addPunchItem } from './use-cases/add-punch-item.js';
import { closeOutEngagement } from './use-cases/close-out-engagement.js';
import { closeoutStatus } from './use-cases/closeout-status.js';
import { introduceServiceLead } from './use-cases/introduce-service-lead.js';
import {
  listDebriefs,
  listPunchItems,
  listTraining,
  listWarranties,
} from './use-cases/list-closeout-records.js';
import { recordDebrief } from './use-cases/record-debrief.js';
import { recordTraining } from './use-cases/record-training.js';
import { recordWarranty } from './use-cases/record-warranty.js';
import { removeTraining } from './use-cases/remove-training.js';
import { removeWarranty } from './use-cases/remove-warranty.js';
import { updatePunchItem } from './use-cases/update-punch-item.js';
import { updateWarranty } from './use-cases/update-warranty.js';

const Removed = { 204: Type.Null({ description: 'Removed' }), ...errorResponses(403, 404) };

/**
 * Routes of the closeout's records (warranties, punch list, training, debrief, service lead) and
 * of the closeout itself: the checklist, and closing out.
 */
export function recordsRoutes(app: Api, deps: Deps): void {
  const tags = ['closeout'];
  const read = (
    operationId: string,
    summary: string,
    description: string,
    item: Parameters<typeof Page>[0],
  ) => ({
    config: { scope: 'read' as const },
    schema: {
      operationId,
      summary,
      description,
      tags,
      params: IdParams,
      response: { 200: Page(item), ...errorResponses(403, 404) },
    },
  });

  // Warranties and support contracts
  app.get(
    '/engagements/:id/warranties',
    read(
      'listWarranties',
      'Warranties and support contracts',
      'Every warranty and support contract of the engagement, soonest expiry first.',
      WarrantySchema,
    ),
    async (request) => listWarranties(deps, principalOf(request), request.params.id),
  );
  app.post(
    '/engagements/:id/warranties',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'recordWarranty',
        summary: 'Record a warranty or support contract',
        description:
          "Records a warranty (the maker's) or a support contract: provider, reference, when it starts and expires, what it covers. A checkpoint reminding of the expiry opens on the engagement's latest handoff, owned by its receiving team, due `remind_days_before` (default 30) days before.",
        tags,
        params: IdParams,
        body: warrantyBody('add'),
        response: { 201: WarrantySchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await recordWarranty(deps, principalOf(request), request.params.id, request.body)),
  );
  app.patch(
    '/warranties/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'updateWarranty',
        summary: 'Edit a warranty or support contract',
        description: 'Replaces the fields sent; its reminder moves with the expiry.',
        tags,
        params: IdParams,
        body: warrantyBody('edit'),
        response: { 200: WarrantySchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => updateWarranty(deps, principalOf(request), request.params.id, request.body),
  );
  app.delete(
    '/warranties/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'removeWarranty',
        summary: 'Remove a warranty or support contract',
        description: 'Removes it and waives its reminder; the audit log keeps what it said.',
        tags,
        params: IdParams,
        response: Removed,
      },
    },
    async (request, reply) => {
      await removeWarranty(deps, principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  // The punch list
  app.get(
    '/engagements/:id/punch-items',
    read(
      'listPunchItems',
      'Punch list',
      'Every punch item of the engagement, in the order added, whatever its state.',
      PunchItemSchema,
    ),
    async (request) => listPunchItems(deps, principalOf(request), request.params.id),
  );
  app.post(
    '/engagements/:id/punch-items',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'addPunchItem',
        summary: 'Add a punch item',
        description:
          'Adds work still to finish before closeout, owned by a user, optionally due on a day. It starts open.',
        tags,
        params: IdParams,
        body: NewPunchItemBody,
        response: { 201: PunchItemSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addPunchItem(deps, principalOf(request), request.params.id, request.body)),
  );
  app.patch(
    '/punch-items/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'updatePunchItem',
        summary: 'Edit or settle a punch item',
        description: 'Edits the item, or sets its state: done, waived (with a `reason`), or open again.',
        tags,
        params: IdParams,
        body: PunchItemChangesBody,
        response: { 200: PunchItemSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => updatePunchItem(deps, principalOf(request), request.params.id, request.body),
  );

  // Training
  app.get(
    '/engagements/:id/training',
    read(
      'listTraining',
      'Training records',
      "Who among the client's operators was trained on what, oldest first.",
      TrainingRecordSchema,
    ),
    async (request) => listTraining(deps, principalOf(request), request.params.id),
  );
  app.post(
    '/engagements/:id/training',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'recordTraining',
        summary: 'Record training',
        description:
          "Records that an operator (a contact of the engagement's account, or a name) was trained on a product or system, on a day, by a user. A product of the inventory (make and model) or a type of device (`Camera`) covers every item of it.",
        tags,
        params: IdParams,
        body: TrainingRecordBody,
        response: { 201: TrainingRecordSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await recordTraining(deps, principalOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/training/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'removeTraining',
        summary: 'Remove a training record',
        description: 'Removes a training record made in error; the audit log keeps it.',
        tags,
        params: IdParams,
        response: Removed,
      },
    },
    async (request, reply) => {
      await removeTraining(deps, principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  // The internal debrief
  app.get(
    '/engagements/:id/debriefs',
    read(
      'listDebriefs',
      'Internal debriefs',
      'The internal debriefs held on the engagement, oldest first.',
      DebriefSchema,
    ),
    async (request) => listDebriefs(deps, principalOf(request), request.params.id),
  );
  app.post(
    '/engagements/:id/debriefs',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'recordDebrief',
        summary: 'Record the internal debrief',
        description:
          'Records the internal debrief held before the closeout meeting: the day (not in the future), who attended, notes.',
        tags,
        params: IdParams,
        body: DebriefBody,
        response: { 201: DebriefSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await recordDebrief(deps, principalOf(request), request.params.id, request.body)),
  );

  // The service lead, the checklist, closing out
  app.put(
    '/engagements/:id/service-lead',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'introduceServiceLead',
        summary: 'Record the service lead introduced',
        description:
          'Records that the team introduced this user to the client as their service lead, now. Answers the closeout status.',
        tags,
        params: IdParams,
        body: Type.Object({ user_id: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
        response: { 200: CloseoutStatusSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => introduceServiceLead(deps, principalOf(request), request.params.id, request.body),
  );
  app.get(
    '/engagements/:id/closeout',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getCloseout',
        summary: 'Closeout checklist',
        description:
          "The closeout checklist of the playbook the engagement's latest handoff runs on, each item met or not and why; the inventory's products no operator was trained on; whether it is closed out.",
        tags,
        params: IdParams,
        response: { 200: CloseoutStatusSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => closeoutStatus(deps, principalOf(request), request.params.id),
  );
  app.post(
    '/engagements/:id/closeout',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'closeOutEngagement',
        summary: 'Close the engagement out',
        description:
          'Closes the engagement out once every checklist item holds. Refused with 422 naming every unmet item (`errors[].code` is the item, `message` why), or 409 when it is closed out already.',
        tags,
        params: IdParams,
        response: { 200: CloseoutStatusSchema, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request) => closeOutEngagement(deps, principalOf(request), request.params.id),
  );
}
