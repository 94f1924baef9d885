import { type Static, Type } from 'typebox';
import { TeamRefSchema } from '../identity/team-schema.js';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { HANDOFF_STATES } from './domain/lifecycle.js';

/**
 * The handoff as the API serves it (`GET /api/v1/handoffs/{id}` and every route answering with a
 * handoff): the one schema the routes answer with, `viewOf` is typed by and the web UI takes its
 * types from. `$id` names it in the OpenAPI document.
 */

export const HandoffStateSchema = StringEnum(HANDOFF_STATES, { $id: 'HandoffState' });

export const DecisionSchema = Type.Object(
  {
    outcome: StringEnum(['accepted', 'rejected']),
    reason_code: Nullable(Type.String()),
    reason_label: Nullable(Type.String()),
    explanation: Nullable(Type.String()),
    by: Type.String(),
    at: Type.String(),
  },
  { $id: 'Decision', description: "The receiving team's decision on the latest revision" },
);

export const PacketSchema = Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()), {
  $id: 'Packet',
  description: "The packet's values by section key, then field key, as the playbook's transition lays it out",
});

export const IssueSchema = Type.Object(
  {
    path: Type.String({ description: 'JSON pointer into the handoff, e.g. /packet/scope/in_scope' }),
    message: Type.String(),
    code: Type.Optional(Type.String()),
  },
  { $id: 'Issue', description: 'One problem, where it is and what it is' },
);

export const HandoffActionSchema = Type.Object(
  {
    allowed: Type.Boolean(),
    code: Type.Optional(
      StringEnum(['forbidden', 'illegal_transition', 'conflict'], {
        description:
          "Why not, as the request would be refused: `forbidden` (the caller's role or team may not), `illegal_transition` (not in this state), `conflict` (something must be settled first)",
      }),
    ),
    reason: Type.Optional(Type.String({ description: 'Why not, in words' })),
    issues: Type.Optional(
      Type.Array(IssueSchema, {
        description: 'Each thing to settle first, e.g. each required checkpoint open',
      }),
    ),
  },
  { $id: 'HandoffAction', description: 'Whether the caller may take one action now, and if not, why' },
);

export const HandoffActionsSchema = Type.Object(
  {
    edit: HandoffActionSchema,
    submit: HandoffActionSchema,
    withdraw: HandoffActionSchema,
    ask: HandoffActionSchema,
    answer: HandoffActionSchema,
    amend: HandoffActionSchema,
    accept: HandoffActionSchema,
    reject: HandoffActionSchema,
    start_delivery: HandoffActionSchema,
    close: HandoffActionSchema,
  },
  {
    $id: 'HandoffActions',
    description:
      "What the caller may do to the handoff now, decided by the lifecycle the requests are held to, for the caller's teams and role. A submit is decided as for a ready packet (`/readiness` lists what is missing), a reject as for a catalogued reason with an explanation.",
  },
);

export const HandoffSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    playbook: Type.Object({ id: Type.String(), key: Type.String(), version: Type.Integer() }),
    transition: Type.String(),
    title: Type.String(),
    state: HandoffStateSchema,
    sending_team: TeamRefSchema,
    receiving_team: TeamRefSchema,
    assignee_id: Nullable(Type.String()),
    packet: PacketSchema,
    revision: Type.Integer({
      description: 'Number of the latest submitted revision (0 before the first submit)',
    }),
    decision: Nullable(DecisionSchema),
    open_questions: Type.Integer(),
    created_by: Type.String(),
    created_at: Type.String(),
    updated_at: Type.String(),
    submitted_at: Nullable(Type.String()),
    decided_at: Nullable(Type.String()),
    version: Type.Integer(),
    actions: HandoffActionsSchema,
    since_seen: Type.Optional(
      Nullable(
        Type.Object(
          {
            revision: Type.Integer({ description: 'The revision the caller saw last' }),
            paths: Type.Array(Type.String(), {
              description: 'The fields (JSON pointers) that changed from it to the current revision',
            }),
          },
          {
            description:
              'On `GET /handoffs/{id}` only: what changed since the caller last opened an earlier revision (null when nothing did, or they never opened one)',
          },
        ),
      ),
    ),
  },
  {
    $id: 'Handoff',
    description: 'A handoff between two teams: its packet, its state and what the caller may do',
  },
);

export const ReadinessSchema = Type.Object(
  {
    ready: Type.Boolean(),
    issues: Type.Array(IssueSchema),
    open_questions: Type.Integer(),
    state: HandoffStateSchema,
  },
  {
    $id: 'Readiness',
    description: 'Every missing or invalid field standing between the packet and a submit',
  },
);

export type HandoffState = Static<typeof HandoffStateSchema>;
export type Decision = Static<typeof DecisionSchema>;
export type Packet = Static<typeof PacketSchema>;
export type HandoffActionView = Static<typeof HandoffActionSchema>;
export type Handoff = Static<typeof HandoffSchema>;
export type Readiness = Static<typeof ReadinessSchema>;
export type Issue = Static<typeof IssueSchema>;
