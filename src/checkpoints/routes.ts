import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { AnyObject, errorResponses, IdParams, Page } from '../kernel/http/schemas.js';
import { CheckpointSchema, CheckpointStateSchema, MilestoneSchema } from './checkpoint-schema.js';
import { RescopeOutcomeSchema, RescopeSchema } from './rescope-schema.js';
import { completeCheckpoint } from './use-cases/complete-checkpoint.js';
import { getCheckpoint, getCheckpointInvitation } from './use-cases/get-checkpoint.js';
import { listCheckpoints } from './use-cases/list-checkpoints.js';
import { listRescopes } from './use-cases/list-rescopes.js';
import { pauseCheckpoint } from './use-cases/pause-checkpoint.js';
import { listMilestones, recordMilestone } from './use-cases/record-milestone.js';
import { resolveRescope } from './use-cases/resolve-rescope.js';
import { resumeCheckpoint } from './use-cases/resume-checkpoint.js';
import { scheduleCheckpoint } from './use-cases/schedule-checkpoint.js';
import { waiveCheckpoint } from './use-cases/waive-checkpoint.js';

const ReasonBody = (required: boolean) =>
  Type.Object(
    { reason: required ? Type.String({ maxLength: 5000 }) : Type.Optional(Type.String({ maxLength: 5000 })) },
    { additionalProperties: false },
  );

/** Checkpoints, their clocks and outcomes; milestones of handoffs; re-scope records of engagements. */
export function checkpointRoutes(app: Api, deps: Deps): void {
  const tags = ['checkpoints'];

  app.get(
    '/checkpoints',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listCheckpoints',
        summary: 'List checkpoints (the inbox)',
        description:
          'Checkpoints of the organisation, overdue first and then by due time. `owner=me` keeps those owned by the caller or, where no one is named, by their teams. `state=overdue` includes open checkpoints past due.',
        tags,
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Array(CheckpointStateSchema, { description: 'One or more states' })),
            owner: Type.Optional(Type.String({ description: '`me` or a user id' })),
            handoff_id: Type.Optional(Type.String()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(CheckpointSchema), ...errorResponses(400) },
      },
    },
    async (request) => listCheckpoints(deps, principalOf(request), request.query),
  );

  app.get(
    '/checkpoints/:id',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getCheckpoint',
        summary: 'Get a checkpoint',
        description: 'One checkpoint with its outcome and every pause and resume of its clock.',
        tags,
        params: IdParams,
        response: { 200: CheckpointSchema, ...errorResponses(404) },
      },
    },
    async (request) => getCheckpoint(deps, principalOf(request), request.params.id),
  );

  app.post(
    '/checkpoints/:id/complete',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'completeCheckpoint',
        summary: 'Record the outcome',
        description:
          'Marks the checkpoint done with its outcome, checked against its kind: a meeting lists who attended (every required role), a confirmation call answers every scripted question with `changed`, a follow-up review compares every named field (a gap needs a category), a satisfaction check rates 1–5. Every problem is listed.',
        tags,
        params: IdParams,
        body: Type.Object({ outcome: Type.Optional(AnyObject) }, { additionalProperties: false }),
        response: { 200: CheckpointSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => completeCheckpoint(deps, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/checkpoints/:id/waive',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'waiveCheckpoint',
        summary: 'Waive a checkpoint',
        description: 'Waives an open or overdue checkpoint with a written reason.',
        tags,
        params: IdParams,
        body: ReasonBody(true),
        response: { 200: CheckpointSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => waiveCheckpoint(deps, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/checkpoints/:id/pause',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'pauseCheckpointClock',
        summary: 'Pause the clock',
        description:
          'Stops the clock while waiting on the customer, keeping the time left. Recorded with its reason.',
        tags,
        params: IdParams,
        body: ReasonBody(true),
        response: { 200: CheckpointSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => pauseCheckpoint(deps, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/checkpoints/:id/resume',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'resumeCheckpointClock',
        summary: 'Resume the clock',
        description: 'Restarts a paused clock: due again after the time that was left.',
        tags,
        params: IdParams,
        body: ReasonBody(false),
        response: { 200: CheckpointSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => resumeCheckpoint(deps, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/checkpoints/:id/schedule',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'scheduleCheckpoint',
        summary: 'Schedule a meeting or call',
        description:
          'Puts the checkpoint on the calendar and e-mails every invitee an iCalendar (RFC 5545) invitation in the organisation’s time zone.',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            start: Type.String({ format: 'date-time' }),
            duration_minutes: Type.Integer({ minimum: 5, maximum: 1440 }),
            location: Type.Optional(Type.String({ maxLength: 500 })),
            invitees: Type.Array(
              Type.Object(
                {
                  name: Type.String({ maxLength: 200 }),
                  email: Type.String({ maxLength: 320 }),
                  role: Type.Optional(Type.String({ maxLength: 100 })),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 100 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: CheckpointSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => scheduleCheckpoint(deps, principalOf(request), request.params.id, request.body),
  );

  app.get(
    '/checkpoints/:id/invitation.ics',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getCheckpointInvitation',
        summary: 'The iCalendar invitation',
        description: 'The RFC 5545 invitation of a scheduled checkpoint.',
        tags,
        params: IdParams,
        produces: ['text/calendar'],
        response: {
          200: { description: 'An iCalendar file', content: { 'text/calendar': { schema: Type.String() } } },
          ...errorResponses(404, 409),
        },
      },
    },
    async (request, reply) =>
      reply
        .type('text/calendar; charset=utf-8; method=REQUEST')
        .send(await getCheckpointInvitation(deps, principalOf(request), request.params.id)),
  );

  app.get(
    '/handoffs/:id/milestones',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listMilestones',
        summary: 'List milestones',
        description: 'When each lifecycle event and recorded milestone of the handoff happened (or will).',
        tags,
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(MilestoneSchema) }), ...errorResponses(404) },
      },
    },
    async (request) => ({ items: await listMilestones(deps, principalOf(request), request.params.id) }),
  );

  app.post(
    '/handoffs/:id/milestones',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'recordMilestone',
        summary: 'Record a milestone',
        description:
          'Records when something happened or is scheduled (`first_visit`, `child_arrived`, `project_completed`…); checkpoints due relative to it open or move. Needs an accepted handoff, except `contract_signed`.',
        tags,
        params: IdParams,
        body: Type.Object(
          { key: Type.String({ maxLength: 100 }), at: Type.String({ format: 'date-time' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(MilestoneSchema) }),
          ...errorResponses(400, 403, 404, 409),
        },
      },
    },
    async (request) => ({
      items: await recordMilestone(deps, principalOf(request), request.params.id, request.body),
    }),
  );

  app.get(
    '/engagements/:id/rescopes',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listRescopes',
        summary: 'List re-scope records',
        description: 'Re-scope records opened on the engagement by confirmation calls whose answers changed.',
        tags,
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(RescopeSchema) }), ...errorResponses(404) },
      },
    },
    async (request) => ({ items: await listRescopes(deps, principalOf(request), request.params.id) }),
  );

  app.post(
    '/rescopes/:id/resolve',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'resolveRescope',
        summary: 'Resolve a re-scope record',
        description:
          'Records what was done about a change a confirmation call found — the price, the crew or the date changed, or nothing did — with a note, and tells the seller. Either team of the handoff or an admin; a resolved record cannot be resolved again (409).',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            outcome: RescopeOutcomeSchema,
            note: Type.String({ minLength: 1, maxLength: 5000, description: 'How it was resolved' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: RescopeSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => resolveRescope(deps, principalOf(request), request.params.id, request.body),
  );
}
