import type { AfterCloseoutDef } from './after-closeout.js';

/**
 * The compiled form of a playbook: what `parsePlaybook` returns once a YAML document has passed every
 * structural and semantic check. The YAML format uses snake_case keys; these types use camelCase.
 */

/**
 * Every field type the format knows. A `secret`'s value is kept in the engagement's credential
 * vault: the packet holds only `{ vault: <entry id> }`. A `file` value names a file of the
 * handoff's engagement and its version: `{ file_id, version }`.
 */
export type FieldType =
  | 'text'
  | 'long_text'
  | 'number'
  | 'money'
  | 'date'
  | 'enum'
  | 'contact'
  | 'user'
  | 'list'
  | 'table'
  | 'checklist'
  | 'yes_no'
  | 'file'
  | 'secret';

/** First-class packet records (C3) a field can feed: the promise register, scope and success records. */
export type MapsTo =
  | 'promises'
  | 'scope_in'
  | 'scope_out'
  | 'contacts'
  | 'success.goal'
  | 'success.metric'
  | 'success.ultimate_objective'
  | 'success.earliest_signal'
  | 'success.minimum_outcome'
  | 'success.early_win';

/** A condition on another field of the same transition; exactly one of `equals`, `in`, `filled` is set. */
export interface RequiredWhen {
  /** The other field, as `section.field`. */
  field: string;
  equals?: string | number | boolean;
  in?: (string | number)[];
  filled?: true;
}

/** One typed field of a section, or one column of a table field. */
export interface FieldDef {
  key: string;
  type: FieldType;
  label: string;
  help?: string;
  prompt?: string;
  required: boolean;
  requiredWhen?: RequiredWhen;
  options?: { value: string; label: string }[];
  multiple?: boolean;
  of?: 'text' | 'number' | 'date';
  columns?: FieldDef[];
  items?: { key: string; label: string }[];
  min?: number;
  max?: number;
  integer?: boolean;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  currency?: string;
  /** A `money` field's least amount in minor units (`1`: more than zero), checked for readiness. */
  minMinor?: number;
  contactRole?: string;
  /** A `user` field's team: the user it names must be an active member of it. */
  team?: string;
  mapsTo?: MapsTo;
  placeholder?: string;
}

/** A titled group of fields in a handoff template. */
export interface SectionDef {
  key: string;
  title: string;
  help?: string;
  fields: FieldDef[];
}

/** One entry of a transition's rejection-reason catalogue. */
export interface RejectionReason {
  code: string;
  label: string;
  description?: string;
}

/** What a checkpoint is, which decides the outcome it records (see docs/playbooks.md). */
export const CHECKPOINT_KINDS = [
  'task',
  'meeting',
  'confirmation_call',
  'follow_up_review',
  'satisfaction_check',
] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];

/** Lifecycle events a checkpoint can be anchored to or completed by. */
export const LIFECYCLE_ANCHORS = [
  'created',
  'submitted',
  'accepted',
  'rejected',
  'withdrawn',
  'delivery_started',
  'closed',
] as const;

/**
 * What closing the handoff does to a checkpoint still open: `require` refuses the close until it is
 * done or waived, `waive` settles it as no longer needed, `keep` lets it run on (a later look back).
 */
export const CHECKPOINT_ON_CLOSE = ['require', 'waive', 'keep'] as const;
export type CheckpointOnClose = (typeof CHECKPOINT_ON_CLOSE)[number];

/** One scripted question of a confirmation call. */
export interface ScriptQuestion {
  key: string;
  question: string;
}

/**
 * A checkpoint (meeting, call, review) attached to a transition. `due` is a due expression read by
 * the SLA engine (`src/calendar/domain/due-expression.ts`). Omitted attributes take their defaults
 * in `src/checkpoints/domain/checkpoint-settings.ts`, so this stays what the author wrote.
 */
export interface CheckpointDef {
  key: string;
  name: string;
  description?: string;
  due?: string;
  /** When its window opens (it cannot be completed earlier): a due expression from the same event. */
  opens?: string;
  kind?: CheckpointKind;
  /** `sender`, `receiver` (the default) or a team key. */
  owner?: string;
  /** Who hears about it when it is overdue: a user role or a team. */
  escalateTo?: { role?: string; team?: string };
  /** Meeting roles that must attend (e.g. `seller`). */
  requiredAttendees?: string[];
  /** Confirmation-call script; the five-question default when omitted. */
  script?: ScriptQuestion[];
  /** Follow-up review: the packet fields (`section.field`) compared with what was experienced. */
  compare?: string[];
  /** Follow-up review: the categories a gap is filed under. */
  gapCategories?: string[];
  /** Lifecycle events that complete the checkpoint by themselves (e.g. `accepted`). */
  completedBy?: string[];
  /** What closing the handoff does while it is open (see `CHECKPOINT_ON_CLOSE`). */
  onClose?: CheckpointOnClose;
}

/** A move between two stages and the handoff template the sender must fill for it. */
export interface TransitionDef {
  key: string;
  name: string;
  description?: string;
  from: string;
  to: string;
  senderTeam: string;
  receiverTeam: string;
  sections: SectionDef[];
  rejectionReasons: RejectionReason[];
  checkpoints: CheckpointDef[];
}

/** A stage of the journey a client travels. */
export interface StageDef {
  key: string;
  name: string;
  description?: string;
}

/**
 * What must hold before an engagement run on this playbook is closed out (docs/playbooks.md,
 * "Closeout"): no punch item still open, an as-built drawing among its files, an operator trained
 * on every product of its inventory, the service lead introduced to the client, the internal
 * debrief held, the client's sign-off.
 */
export const CLOSEOUT_ITEMS = [
  'no_open_punch_items',
  'as_built_drawings',
  'operators_trained',
  'service_lead_introduced',
  'internal_debrief_held',
  'client_signed_off',
] as const;
export type CloseoutItem = (typeof CLOSEOUT_ITEMS)[number];

/** The closeout a playbook asks for: the checklist items that must hold, in the order shown. */
export interface CloseoutDef {
  checklist: CloseoutItem[];
}

/** A validated, compiled playbook. */
export interface Playbook {
  key: string;
  version: number;
  name: string;
  description?: string;
  stages: StageDef[];
  transitions: TransitionDef[];
  /** Absent: closing out an engagement of this playbook checks nothing. */
  closeout?: CloseoutDef;
  /** Absent: inquiries to an engagement's implementation lead are not routed (`after-closeout.ts`). */
  afterCloseout?: AfterCloseoutDef;
  /** Absent: a CRM's closed-won deal cannot open a handoff of this playbook. */
  inbound?: InboundDef;
}

/**
 * Where a value of a CRM's closed-won deal goes (docs/integrations-inbound.md): the first of
 * `mapsFrom` (`<source kind>.<path in the deal as the vendor sends it>`, e.g. `salesforce.Amount`,
 * `pipedrive.data.title`) that the deal carries fills `to`: `account.name`, `account.external_id`,
 * `engagement.name`, `engagement.external_id`, `engagement.contract_signed_at`, `contact.name`,
 * `contact.email`, `contact.phone`, `contact.title`, `contact.external_id`, or a packet field as
 * `packet.<section>.<field>`.
 */
export interface InboundFieldDef {
  to: string;
  mapsFrom: string[];
}

/** How a CRM's closed-won deal opens a draft handoff of this playbook. */
export interface InboundDef {
  /** The transition the draft is for. */
  transition: string;
  fields: InboundFieldDef[];
}

/** A handoff packet's values: `{ [sectionKey]: { [fieldKey]: value } }`. */
export type Packet = Record<string, Record<string, unknown>>;

/** A JSON Schema document as a plain object. */
export type JsonSchema = Record<string, unknown>;

/** Field types that may be used as table columns. */
export const COLUMN_TYPES = [
  'text',
  'long_text',
  'number',
  'money',
  'date',
  'enum',
  'yes_no',
  'contact',
  'user',
] as const satisfies readonly FieldType[];

/** Roles a contact field may declare with `contact_role`. */
export const CONTACT_ROLES = ['buyer', 'champion', 'decision_maker', 'operator', 'sponsor', 'other'] as const;

/** Default `maxLength` of a `text` field. */
export const DEFAULT_TEXT_MAX_LENGTH = 2000;

/** Default `maxLength` of a `long_text` field. */
export const DEFAULT_LONG_TEXT_MAX_LENGTH = 20000;
