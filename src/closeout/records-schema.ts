import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { CLOSEOUT_ITEMS } from '../playbooks/domain/playbook.js';
import { PUNCH_STATES } from './domain/punch-item.js';
import { WARRANTY_KINDS } from './domain/warranty-record.js';

const Day = (description: string) =>
  Type.String({ format: 'date', description: `${description} (YYYY-MM-DD)` });
const DayIn = () => Type.String({ maxLength: 10, description: 'YYYY-MM-DD' });
const Person = Type.Object({ id: Type.String(), name: Type.String() });

export const WarrantyKindSchema = StringEnum(WARRANTY_KINDS, {
  $id: 'WarrantyKind',
  description: "warranty: the maker's; support_contract: a contract for support or maintenance",
});

/** A warranty or support contract of the engagement. */
export const WarrantySchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    kind: WarrantyKindSchema,
    provider: Type.String({ description: 'Who honours it' }),
    reference: Nullable(Type.String({ description: 'Contract or warranty number' })),
    starts_on: Nullable(Day('First day covered')),
    expires_on: Day('Last day covered'),
    covers: Nullable(Type.String({ description: 'What it covers' })),
    remind_days_before: Type.Integer({ description: 'Days before the expiry its checkpoint is due' }),
    reminder_due_on: Day('The day the checkpoint reminding of the expiry is due'),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Warranty', description: 'A warranty or support contract, reminded of before it expires' },
);
export type Warranty = Static<typeof WarrantySchema>;

export function warrantyBody(mode: 'add' | 'edit') {
  const req = <T extends Parameters<typeof Type.Optional>[0]>(t: T) =>
    mode === 'add' ? t : Type.Optional(t);
  return Type.Object(
    {
      kind: req(WarrantyKindSchema),
      provider: req(Type.String({ maxLength: 200 })),
      reference: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
      starts_on: Type.Optional(Nullable(DayIn())),
      expires_on: req(DayIn()),
      covers: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
      remind_days_before: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30 })),
    },
    { additionalProperties: false },
  );
}

export const PunchStateSchema = StringEnum(PUNCH_STATES, {
  $id: 'PunchState',
  description: 'open until done; waived (with a reason) when it will not be done',
});

/** An item of the punch list. */
export const PunchItemSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    title: Type.String(),
    owner: Person,
    due_on: Nullable(Day('Due')),
    state: PunchStateSchema,
    reason: Nullable(Type.String({ description: 'Why it was waived' })),
    settled_at: Nullable(Type.String({ description: 'When it was done or waived' })),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'PunchItem', description: 'Work still to finish before closeout, with its owner' },
);
export type PunchItem = Static<typeof PunchItemSchema>;

export const NewPunchItemBody = Type.Object(
  {
    title: Type.String({ maxLength: 500 }),
    owner_id: Type.String({ maxLength: 100, description: 'The user who owns it' }),
    due_on: Type.Optional(Nullable(DayIn())),
  },
  { additionalProperties: false },
);

export const PunchItemChangesBody = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 500 })),
    owner_id: Type.Optional(Type.String({ maxLength: 100 })),
    due_on: Type.Optional(Nullable(DayIn())),
    state: Type.Optional(PunchStateSchema),
    reason: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'Why it is waived' }))),
  },
  { additionalProperties: false },
);

/** Who among the client's operators was trained on what. */
export const TrainingRecordSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    contact_id: Nullable(Type.String({ description: 'The contact trained, when they are one' })),
    trainee_name: Type.String(),
    product: Type.String({
      description: 'The product or system: a product of the inventory, or a type of device',
    }),
    trained_on: Day('Day of the training'),
    trainer: Person,
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'TrainingRecord', description: "An operator of the client's trained on a product or system" },
);
export type TrainingRecord = Static<typeof TrainingRecordSchema>;

export const TrainingRecordBody = Type.Object(
  {
    contact_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    trainee_name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    product: Type.String({ maxLength: 200 }),
    trained_on: DayIn(),
    trainer_id: Type.String({ maxLength: 100 }),
  },
  { additionalProperties: false },
);

/** The internal debrief held before the closeout meeting. */
export const DebriefSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    held_on: Day('Day held'),
    notes: Nullable(Type.String()),
    attendees: Type.Array(Type.String()),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Debrief', description: 'The internal debrief, before the closeout meeting' },
);
export type Debrief = Static<typeof DebriefSchema>;

export const DebriefBody = Type.Object(
  {
    held_on: DayIn(),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
    attendees: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }),
  },
  { additionalProperties: false },
);

export const ChecklistItemSchema = Type.Object({
  key: StringEnum(CLOSEOUT_ITEMS),
  met: Type.Boolean(),
  why: Type.String(),
});

/** Where the engagement's closeout stands. */
export const CloseoutStatusSchema = Type.Object(
  {
    engagement_id: Type.String(),
    playbook: Nullable(
      Type.Object(
        { key: Type.String(), version: Type.Integer() },
        { description: 'Whose checklist applies' },
      ),
    ),
    items: Type.Array(ChecklistItemSchema, {
      description: "The playbook's checklist, each item met or not, and why",
    }),
    ready: Type.Boolean({ description: 'Every item is met: the engagement may be closed out' }),
    orphan_products: Type.Array(Type.String(), {
      description: 'Products of the inventory no operator was trained on, by name',
    }),
    service_lead: Nullable(
      Type.Object({ id: Type.String(), name: Type.String(), introduced_at: Type.String() }),
    ),
    closed_out_at: Nullable(Type.String()),
  },
  {
    $id: 'CloseoutStatus',
    description: 'The closeout checklist of an engagement and whether it is closed out',
  },
);
export type CloseoutStatus = Static<typeof CloseoutStatusSchema>;
