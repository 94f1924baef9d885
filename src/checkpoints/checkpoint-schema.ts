import { type Static, Type } from 'typebox';
import { TeamRefSchema } from '../identity/team-schema.js';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { CHECKPOINT_KINDS, CHECKPOINT_ON_CLOSE } from '../playbooks/domain/playbook.js';
import { CHECKPOINT_STATES } from './domain/checkpoint-state.js';

export const CheckpointStateSchema = StringEnum(CHECKPOINT_STATES, {
  $id: 'CheckpointState',
  description: 'open or overdue while pending; done or waived once settled',
});

/** One pause or resume of a checkpoint's clock. */
export const ClockEventSchema = Type.Object(
  {
    kind: StringEnum(['pause', 'resume']),
    at: Type.String(),
    by: Nullable(Type.String()),
    reason: Nullable(Type.String()),
    due_before: Nullable(Type.String()),
    due_after: Nullable(Type.String()),
    remaining_minutes: Nullable(Type.Integer()),
  },
  { $id: 'ClockEvent', description: "A pause or resume of a checkpoint's clock" },
);

/** A checkpoint (meeting, call, review, task) of a handoff, with its clock and outcome. */
export const CheckpointSchema = Type.Object(
  {
    id: Type.String(),
    handoff_id: Type.String(),
    engagement_id: Type.String(),
    key: Type.String({ description: "The playbook checkpoint's key" }),
    name: Type.String(),
    description: Nullable(Type.String()),
    kind: StringEnum(CHECKPOINT_KINDS),
    state: CheckpointStateSchema,
    due: Type.String({ description: 'The due expression from the playbook' }),
    due_at: Type.String({ description: 'When it is due (UTC)' }),
    opens_at: Type.String({
      description: 'When its window opens (UTC): it cannot be completed earlier, only waived with a reason',
    }),
    anchor_at: Type.String({ description: 'When the event it is due relative to happened (or will)' }),
    on_close: StringEnum(CHECKPOINT_ON_CLOSE, {
      description:
        'What closing the handoff does while it is open: `require` refuses the close, `waive` settles it, `keep` lets it run on',
    }),
    owner: Type.Object({ team: TeamRefSchema, user_id: Nullable(Type.String()) }),
    escalate_to: Nullable(
      Type.Object({ role: Type.Optional(Type.String()), team: Type.Optional(Type.String()) }),
    ),
    overdue_at: Nullable(Type.String()),
    escalated_at: Nullable(Type.String()),
    paused: Type.Boolean(),
    paused_at: Nullable(Type.String()),
    remaining_minutes: Nullable(
      Type.Integer({ description: 'Time left while paused, in the clock’s minutes' }),
    ),
    schedule: Nullable(
      Type.Object({ start: Type.String(), end: Type.String(), invitees: Type.Array(Type.Unknown()) }),
    ),
    outcome: Type.Unknown(),
    waive_reason: Nullable(Type.String()),
    completed_at: Nullable(Type.String()),
    completed_by: Nullable(Type.String()),
    required_attendees: Type.Array(Type.String()),
    script: Type.Array(Type.Object({ key: Type.String(), question: Type.String() })),
    compare: Type.Array(Type.String()),
    gap_categories: Type.Array(Type.String()),
    clock_events: Type.Array(ClockEventSchema),
    created_at: Type.String(),
    updated_at: Type.String(),
    version: Type.Integer(),
  },
  {
    $id: 'Checkpoint',
    description: 'A checkpoint of a handoff: a meeting, call, review or task with a deadline',
  },
);

/** When something happened, or will happen, on a handoff. */
export const MilestoneSchema = Type.Object(
  {
    key: Type.String(),
    at: Type.String(),
    recorded_by: Nullable(Type.String()),
    recorded_at: Type.String(),
  },
  { $id: 'Milestone', description: 'When something happened or will happen on a handoff, e.g. first_visit' },
);

export type CheckpointState = Static<typeof CheckpointStateSchema>;
export type ClockEvent = Static<typeof ClockEventSchema>;
export type Checkpoint = Static<typeof CheckpointSchema>;
export type Milestone = Static<typeof MilestoneSchema>;
