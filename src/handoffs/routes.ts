import { Type } from 'typebox';
import { AuditEntrySchema } from '../audit/audit-entry-schema.js';
import { listAuditEntries } from '../audit/use-cases/list-audit-entries.js';
import type { Principal } from '../identity/domain/roles.js';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { AnyObject, errorResponses, IdParams, Nullable, Page, StringEnum } from '../kernel/http/schemas.js';
import { loadHandoff } from './handoff-records.js';
import { type Handoff, HandoffSchema, HandoffStateSchema, ReadinessSchema } from './handoff-schema.js';
import { QuestionSchema } from './question-schema.js';
import { RevisionDiffSchema, RevisionSchema } from './revision-schema.js';
import { EngagementTimelineSchema } from './timeline-schema.js';
import { acceptHandoff } from './use-cases/accept-handoff.js';
import { answerQuestion } from './use-cases/answer-question.js';
import { askQuestion } from './use-cases/ask-question.js';
import { createHandoff } from './use-cases/create-handoff.js';
import { getEngagementTimeline } from './use-cases/get-engagement-timeline.js';
import { checkReadiness, diffRevisions, getHandoff, listRevisions } from './use-cases/get-handoff.js';
import { listHandoffs } from './use-cases/list-handoffs.js';
import { moveHandoff } from './use-cases/move-handoff.js';
import { listQuestions } from './use-cases/question-records.js';
import { rejectHandoff } from './use-cases/reject-handoff.js';
import { submitHandoff } from './use-cases/submit-handoff.js';
import { updateHandoff } from './use-cases/update-handoff.js';

const NoteBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 5000 })) },
  { additionalProperties: false },
);

/** Routes of the handoff contract: thin — validate, call the use case, shape the answer. */
export function handoffRoutes(app: Api, deps: Deps): void {
  const tags = ['handoffs'];

  app.post(
    '/handoffs',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'createHandoff',
        summary: 'Open a draft handoff',
        description:
          'Opens a draft handoff for one transition of a playbook, pinned to its current version. Refused (409) while the engagement has an open handoff (not withdrawn or closed) for the same playbook and transition; the problem names it (`open_handoff`, and `errors` at `/engagement_id`).',
        tags,
        body: Type.Object(
          {
            engagement_id: Type.String(),
            playbook: Type.String({ description: 'Playbook key' }),
            playbook_version: Type.Optional(Type.Integer({ minimum: 1 })),
            transition: Type.String(),
            title: Type.Optional(Type.String({ maxLength: 300 })),
            sending_team: Type.Optional(Type.String()),
            receiving_team: Type.Optional(Type.String()),
            assignee_id: Type.Optional(Nullable(Type.String())),
            packet: Type.Optional(AnyObject),
          },
          { additionalProperties: false },
        ),
        response: { 201: HandoffSchema, ...errorResponses(400, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createHandoff(deps, principalOf(request), request.body)),
  );

  app.get(
    '/handoffs',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listHandoffs',
        summary: 'List handoffs',
        description:
          'Handoffs of the organisation, newest first, filtered by state, team, assignee, engagement, or to those waiting on the caller.',
        tags,
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Array(HandoffStateSchema, { description: 'One or more states' })),
            team: Type.Optional(Type.String({ description: 'Team key: handoffs it sends or receives' })),
            assignee: Type.Optional(Type.String({ description: '`me` or a user id' })),
            engagement_id: Type.Optional(Type.String()),
            waiting_on: Type.Optional(
              StringEnum(['me'], {
                description:
                  "`me`: only handoffs whose next step is the caller's, read from the actions each one carries for them (drafts and rejected packets to submit and questions to answer for the sender; packets to review, and accepted or in-delivery handoffs to deliver and close, for the receiver)",
              }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(HandoffSchema), ...errorResponses(400) },
      },
    },
    async (request) => listHandoffs(deps, principalOf(request), request.query),
  );

  app.get(
    '/handoffs/:id',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getHandoff',
        summary: 'Get a handoff',
        description: 'One handoff with its current packet and decision.',
        tags,
        params: IdParams,
        response: { 200: HandoffSchema, ...errorResponses(404) },
      },
    },
    async (request) => getHandoff(deps, principalOf(request), request.params.id),
  );

  app.patch(
    '/handoffs/:id',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'updateHandoff',
        summary: 'Edit a handoff',
        description:
          'Edits the packet (a merge patch: sections merge, fields are replaced, null removes) while the handoff is a draft or rejected; or its title and assignee.',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            packet: Type.Optional(AnyObject),
            title: Type.Optional(Type.String({ maxLength: 300 })),
            assignee_id: Type.Optional(Nullable(Type.String())),
            version: Type.Optional(
              Type.Integer({ description: 'Apply only if the handoff is still at this version' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: HandoffSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => updateHandoff(deps, principalOf(request), request.params.id, request.body),
  );

  app.get(
    '/handoffs/:id/readiness',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getHandoffReadiness',
        summary: 'Check readiness',
        description: 'Every missing or invalid field standing between the packet and a submit.',
        tags,
        params: IdParams,
        response: { 200: ReadinessSchema, ...errorResponses(404) },
      },
    },
    async (request) => checkReadiness(deps, principalOf(request), request.params.id),
  );

  const lifecycle = (
    path: string,
    operationId: string,
    summary: string,
    description: string,
    run: (principal: Principal, id: string, body: { note?: string }) => Promise<Handoff>,
  ) =>
    app.post(
      `/handoffs/:id/${path}`,
      {
        config: { scope: 'lifecycle' },
        schema: {
          operationId,
          summary,
          description,
          tags,
          params: IdParams,
          body: Type.Optional(NoteBody),
          response: { 200: HandoffSchema, ...errorResponses(400, 403, 404, 409, 422) },
        },
      },
      async (request) => run(principalOf(request), request.params.id, request.body ?? {}),
    );

  lifecycle(
    'submit',
    'submitHandoff',
    'Submit the packet',
    'Submits the packet as a new revision. Refused with 422 listing every missing or invalid field until it is ready.',
    (p, id) => submitHandoff(deps, p, id),
  );
  lifecycle(
    'accept',
    'acceptHandoff',
    'Accept the packet',
    'The receiving team accepts the submitted packet. Refused (409) while a question is open.',
    (p, id, b) => acceptHandoff(deps, p, id, b),
  );
  lifecycle(
    'withdraw',
    'withdrawHandoff',
    'Withdraw',
    'The sending team withdraws the handoff.',
    (p, id, b) => moveHandoff(deps, p, id, 'withdraw', b),
  );
  lifecycle(
    'start-delivery',
    'startHandoffDelivery',
    'Start delivery',
    'The receiving team starts delivery; only an accepted handoff can.',
    (p, id, b) => moveHandoff(deps, p, id, 'start_delivery', b),
  );
  lifecycle(
    'close',
    'closeHandoff',
    'Close',
    'The receiving team closes a handoff in delivery.',
    (p, id, b) => moveHandoff(deps, p, id, 'close', b),
  );

  app.post(
    '/handoffs/:id/reject',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'rejectHandoff',
        summary: 'Reject the packet',
        description:
          "The receiving team rejects with a reason from the playbook's catalogue and a written explanation.",
        tags,
        params: IdParams,
        body: Type.Object(
          {
            reason_code: Type.String({ minLength: 1 }),
            explanation: Type.String({ minLength: 1, maxLength: 10000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: HandoffSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => rejectHandoff(deps, principalOf(request), request.params.id, request.body),
  );

  app.get(
    '/handoffs/:id/revisions',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listHandoffRevisions',
        summary: 'List revisions',
        description: 'Every submitted revision of the packet, kept forever.',
        tags,
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(RevisionSchema) }), ...errorResponses(404) },
      },
    },
    async (request) => ({ items: await listRevisions(deps, principalOf(request), request.params.id) }),
  );

  app.get(
    '/handoffs/:id/revisions/:a/diff/:b',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'diffHandoffRevisions',
        summary: 'Diff two revisions',
        description: 'Field-by-field differences between revision a and revision b.',
        tags,
        params: Type.Object({
          id: Type.String(),
          a: Type.Integer({ minimum: 1 }),
          b: Type.Integer({ minimum: 1 }),
        }),
        response: { 200: RevisionDiffSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { id, a, b } = request.params;
      return diffRevisions(deps, principalOf(request), id, a, b);
    },
  );

  app.get(
    '/handoffs/:id/questions',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listHandoffQuestions',
        summary: 'List questions',
        description: 'Clarifying questions asked on the handoff, with their answers.',
        tags,
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(QuestionSchema) }), ...errorResponses(404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const row = await loadHandoff(deps.store.db, principal.orgId, request.params.id);
      return { items: await listQuestions(deps.store.db, principal.orgId, row.id) };
    },
  );

  app.post(
    '/handoffs/:id/questions',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'askHandoffQuestion',
        summary: 'Ask a question',
        description:
          'The receiving team asks a clarifying question on the packet or on one field (path /packet/<section>/<field>). Open questions block acceptance.',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            body: Type.String({ minLength: 1, maxLength: 10000 }),
            path: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
          },
          { additionalProperties: false },
        ),
        response: { 201: QuestionSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await askQuestion(deps, principalOf(request), request.params.id, request.body)),
  );

  app.post(
    '/questions/:id/answer',
    {
      config: { scope: 'lifecycle' },
      schema: {
        operationId: 'answerQuestion',
        summary: 'Answer a question',
        description:
          'The sending team answers an open question. While the packet waits for review, `amend` corrects the field the question is about in the same step: the amended packet becomes the next revision (still submitted, diffed and audited as `handoff.amended`), refused naming every problem unless it is still ready.',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            answer: Type.String({ minLength: 1, maxLength: 10000 }),
            amend: Type.Optional(
              Type.Object(
                {
                  value: Type.Unknown({
                    description: "The field's corrected value, as the packet holds it; null removes it",
                  }),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: QuestionSchema, ...errorResponses(400, 403, 404, 409, 422) },
      },
    },
    async (request) => answerQuestion(deps, principalOf(request), request.params.id, request.body),
  );

  app.get(
    '/engagements/:id/timeline',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getEngagementTimeline',
        summary: 'Timeline of an engagement',
        description:
          'Every handoff of the engagement across the journey (oldest first) and every audit event of the engagement, its handoffs and records, oldest first.',
        tags,
        params: IdParams,
        response: { 200: EngagementTimelineSchema, ...errorResponses(404) },
      },
    },
    async (request) => getEngagementTimeline(deps, principalOf(request), request.params.id),
  );

  app.get(
    '/handoffs/:id/audit',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listHandoffAudit',
        summary: 'Audit trail of a handoff',
        description:
          'Every audited change to the handoff, its questions and the records it carried, oldest first.',
        tags: ['audit'],
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(AuditEntrySchema) }), ...errorResponses(404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const row = await loadHandoff(deps.store.db, principal.orgId, request.params.id);
      return { items: await listAuditEntries(deps, principal, { handoffId: row.id }) };
    },
  );
}
