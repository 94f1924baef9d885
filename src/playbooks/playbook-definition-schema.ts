import { type Static, type TSchema, Type } from 'typebox';
import { CHECKPOINT_KINDS, CHECKPOINT_ON_CLOSE, CONTACT_ROLES } from './domain/playbook.js';
import { ALL_FIELD_TYPES, MAPS_TO_TARGETS } from './domain/playbook-meta-schema.js';

/**
 * The playbook definition the API serves (`GET /api/v1/playbooks/{key}`): what a version of a
 * playbook says once checked, with its defaults filled in. Its keys are the YAML format's (snake_case,
 * as everywhere in the API); `domain/definition-mapping.ts` maps it to and from the compiled form the
 * server works with. The web UI takes its types from here.
 */

const oneOf = <const T extends string[]>(values: readonly [...T], description?: string) =>
  Type.Enum(values, description ? { description } : {});
const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);
const text = (description?: string) => Type.String(description ? { description } : {});

export const RequiredWhenDefinition = Type.Object(
  {
    field: text('The other field, as section.field'),
    equals: optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    in: optional(Type.Array(Type.Union([Type.String(), Type.Number()]))),
    filled: optional(Type.Literal(true)),
  },
  { description: 'Required only when another field has a value; exactly one of equals, in, filled' },
);

/** What fields and table columns share. */
const fieldProperties = {
  key: text(),
  type: oneOf(ALL_FIELD_TYPES),
  label: text(),
  help: optional(text()),
  prompt: optional(text('A question that makes the sender think')),
  placeholder: optional(text()),
  required: Type.Boolean(),
  required_when: optional(RequiredWhenDefinition),
  options: optional(Type.Array(Type.Object({ value: text(), label: text() }), { description: 'enum' })),
  multiple: optional(Type.Boolean({ description: 'enum: a list of distinct values' })),
  of: optional(oneOf(['text', 'number', 'date'] as const, 'list: what it lists')),
  items: optional(Type.Array(Type.Object({ key: text(), label: text() }), { description: 'checklist' })),
  min: optional(Type.Number({ description: 'number' })),
  max: optional(Type.Number({ description: 'number' })),
  integer: optional(Type.Boolean({ description: 'number: whole numbers only' })),
  max_length: optional(Type.Integer({ description: 'text, long_text, list entries' })),
  min_items: optional(Type.Integer({ description: 'list, table' })),
  max_items: optional(Type.Integer({ description: 'list, table' })),
  currency: optional(text('money: the ISO 4217 code it is fixed to')),
  min_minor: optional(
    Type.Integer({
      description: 'money: the least amount in minor units (1: more than zero), checked for readiness',
    }),
  ),
  contact_role: optional(oneOf(CONTACT_ROLES, 'contact: the role the person plays')),
  team: optional(text('user: the team whose active member the field must name')),
  maps_to: optional(oneOf(MAPS_TO_TARGETS, 'The packet record this field feeds')),
};

export const ColumnDefinition = Type.Object(fieldProperties, { description: 'A column of a table field' });

export const FieldDefinition = Type.Object(
  { ...fieldProperties, columns: optional(Type.Array(ColumnDefinition, { description: 'table' })) },
  {
    $id: 'FieldDefinition',
    description: 'A typed field of a section; see docs/playbooks.md for the types and their attributes',
  },
);

export const SectionDefinition = Type.Object({
  key: text(),
  title: text(),
  help: optional(text()),
  fields: Type.Array(FieldDefinition),
});

export const RejectionReasonDefinition = Type.Object(
  { code: text(), label: text(), description: optional(text()) },
  { description: 'One entry of the catalogue a receiver picks from when rejecting a packet' },
);

export const CheckpointDefinition = Type.Object(
  {
    key: text(),
    name: text(),
    description: optional(text()),
    due: optional(text('A due expression, e.g. "2 business days after accepted"')),
    opens: optional(text('When its window opens: a due expression from the same event as due')),
    kind: optional(oneOf(CHECKPOINT_KINDS, 'task when absent')),
    owner: optional(text('sender, receiver (when absent) or a team key')),
    escalate_to: optional(
      Type.Object(
        { role: optional(text()), team: optional(text()) },
        { description: 'A user role or a team' },
      ),
    ),
    required_attendees: optional(Type.Array(text(), { description: 'meeting: roles that must attend' })),
    script: optional(
      Type.Array(Type.Object({ key: text(), question: text() }), {
        description: 'confirmation_call: the questions; the five default ones when absent',
      }),
    ),
    compare: optional(
      Type.Array(text(), { description: 'follow_up_review: fields (section.field) compared' }),
    ),
    gap_categories: optional(Type.Array(text(), { description: 'follow_up_review' })),
    completed_by: optional(Type.Array(text(), { description: 'Lifecycle events that complete it' })),
    on_close: optional(oneOf(CHECKPOINT_ON_CLOSE, 'What closing the handoff does while it is open')),
  },
  {
    $id: 'CheckpointDefinition',
    description: 'A checkpoint (task, meeting, call, review) attached to a transition',
  },
);

export const TransitionDefinition = Type.Object(
  {
    key: text(),
    name: text(),
    description: optional(text()),
    from: text('A stage key'),
    to: text('A stage key'),
    sender_team: text('The team that fills in and submits the packet'),
    receiver_team: text('The team that accepts or rejects it'),
    sections: Type.Array(SectionDefinition),
    rejection_reasons: Type.Array(RejectionReasonDefinition),
    checkpoints: Type.Array(CheckpointDefinition),
  },
  {
    $id: 'TransitionDefinition',
    description: 'A move between two stages and the handoff template the sender fills in for it',
  },
);

export const StageDefinition = Type.Object({ key: text(), name: text(), description: optional(text()) });

export const PlaybookDefinition = Type.Object(
  {
    key: text(),
    version: Type.Integer({ minimum: 1 }),
    name: text(),
    description: optional(text()),
    stages: Type.Array(StageDefinition),
    transitions: Type.Array(TransitionDefinition),
    closeout: optional(
      Type.Object(
        { checklist: Type.Array(text()) },
        { description: 'What must hold before an engagement of this playbook is closed out' },
      ),
    ),
    after_closeout: optional(
      Type.Object(
        {
          senders: optional(text('`account_contacts` or `account_domain`: whose inquiries are routed')),
          before_closeout: optional(text('`leave_with_lead` or `task_for_lead`')),
          task_due: optional(text('When the task is due, e.g. `1 business days after received`')),
          reply_subject: optional(text("The reply's subject, with placeholders such as `{{subject}}`")),
          reply_text: text(
            'The reply introducing the service owner, with `{{client_name}}`, `{{service_owner_name}}`…',
          ),
        },
        {
          description:
            "What becomes of a client's e-mail to the implementation lead once the engagement is closed out: a task for the service owner and this reply",
        },
      ),
    ),
    inbound: optional(
      Type.Object(
        {
          transition: text("The transition a CRM's closed-won deal opens a draft handoff for"),
          fields: Type.Array(
            Type.Object({
              to: text('account.name, engagement.name, contact.email, packet.<section>.<field>, …'),
              maps_from: Type.Array(text(), {
                description: 'Where the value is read, first found wins: <source kind>.<path in the deal>',
              }),
            }),
          ),
        },
        { description: 'How a CRM closed-won deal fills the draft (docs/integrations-inbound.md)' },
      ),
    ),
  },
  {
    $id: 'PlaybookDefinition',
    description:
      'A playbook version as checked: the keys of the YAML format (docs/playbooks.md), with defaults filled in (required: false, checkpoints: [])',
  },
);

/** The answer of `GET /api/v1/playbooks/{key}`. */
export const PlaybookDetail = Type.Object(
  {
    id: Type.String({ description: 'The id of this version' }),
    builtin: Type.Boolean(),
    definition: PlaybookDefinition,
  },
  { $id: 'PlaybookDetail' },
);

/** A playbook as `GET /api/v1/playbooks` lists it: its latest version, and every version number. */
export const PlaybookSummary = Type.Object(
  {
    key: text(),
    version: Type.Integer({ minimum: 1, description: 'The latest version' }),
    versions: Type.Array(Type.Integer({ minimum: 1 }), { description: 'Every version, oldest first' }),
    name: text(),
    description: Type.Union([text(), Type.Null()]),
    builtin: Type.Boolean(),
    stages: Type.Array(Type.Object({ key: text(), name: text() })),
    transitions: Type.Array(
      Type.Object({
        key: text(),
        name: text(),
        from: text(),
        to: text(),
        sender_team: text(),
        receiver_team: text(),
      }),
    ),
  },
  { $id: 'PlaybookSummary' },
);

export type PlaybookDefinition = Static<typeof PlaybookDefinition>;
export type TransitionDefinition = Static<typeof TransitionDefinition>;
export type SectionDefinition = Static<typeof SectionDefinition>;
export type FieldDefinition = Static<typeof FieldDefinition>;
export type ColumnDefinition = Static<typeof ColumnDefinition>;
export type CheckpointDefinition = Static<typeof CheckpointDefinition>;
export type PlaybookDetail = Static<typeof PlaybookDetail>;
export type PlaybookSummary = Static<typeof PlaybookSummary>;
