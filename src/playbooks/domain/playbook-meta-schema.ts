import { BEFORE_CLOSEOUT, INQUIRY_SENDERS } from './after-closeout.js';
import {
  CHECKPOINT_KINDS,
  CHECKPOINT_ON_CLOSE,
  CLOSEOUT_ITEMS,
  COLUMN_TYPES,
  CONTACT_ROLES,
  LIFECYCLE_ANCHORS,
  type MapsTo,
} from './playbook.js';

/** Playbook and transition keys: kebab-case. */
export const KEBAB_KEY_PATTERN = '^[a-z][a-z0-9-]*$';
/** Section, field, column, checklist item, checkpoint and rejection-reason keys: snake_case. */
export const SNAKE_KEY_PATTERN = '^[a-z][a-z0-9_]*$';
/** Stage and team keys: lowercase words joined by `_` or `-`. */
export const STAGE_KEY_PATTERN = '^[a-z][a-z0-9_-]*$';
/** A three-letter ISO 4217 currency code. */
export const CURRENCY_PATTERN = '^[A-Z]{3}$';
/** Any text with at least one non-blank character. */
export const NON_BLANK_PATTERN = '\\S';

/** Plain-words explanations of the patterns above, used in error messages. */
export const PATTERN_MESSAGES: Readonly<Record<string, string>> = {
  [KEBAB_KEY_PATTERN]:
    'must be a lowercase key: a letter, then letters, digits or hyphens (e.g. "sales-to-operations")',
  [SNAKE_KEY_PATTERN]:
    'must be a lowercase key: a letter, then letters, digits or underscores (e.g. "success_metric")',
  [STAGE_KEY_PATTERN]: 'must be a lowercase key: a letter, then letters, digits, hyphens or underscores',
  [CURRENCY_PATTERN]: 'must be a three-letter ISO 4217 currency code such as EUR or USD',
  [NON_BLANK_PATTERN]: 'must not be blank',
};

const text = { type: 'string', pattern: NON_BLANK_PATTERN } as const;
const key = (pattern: string) => ({ type: 'string', pattern }) as const;

/** Every field type a document may name. */
export const ALL_FIELD_TYPES = [...COLUMN_TYPES, 'list', 'table', 'checklist', 'file', 'secret'] as const;

/** The packet records a field can feed with `maps_to`. */
export const MAPS_TO_TARGETS = [
  'promises',
  'scope_in',
  'scope_out',
  'contacts',
  'success.goal',
  'success.metric',
  'success.ultimate_objective',
  'success.earliest_signal',
  'success.minimum_outcome',
  'success.early_win',
] as const satisfies readonly MapsTo[];

/** The records (beside packet fields) a CRM deal's values can fill through `inbound`. */
export const INBOUND_RECORD_TARGETS = [
  'account.name',
  'account.external_id',
  'engagement.name',
  'engagement.external_id',
  'engagement.contract_signed_at',
  'contact.name',
  'contact.email',
  'contact.phone',
  'contact.title',
  'contact.external_id',
] as const;

/** `to` of an inbound mapping: one of the record targets, or `packet.<section>.<field>`. */
const INBOUND_TARGET_PATTERN = `^(${INBOUND_RECORD_TARGETS.map((t) => t.replace('.', '\\.')).join('|')}|packet\\.[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*)$`;

/** Properties shared by fields and table columns. */
const commonFieldProperties = {
  key: key(SNAKE_KEY_PATTERN),
  label: text,
  help: text,
  prompt: text,
  placeholder: text,
  required: { type: 'boolean' },
  options: {
    type: 'array',
    items: {
      type: 'object',
      properties: { value: { type: 'string', minLength: 1 }, label: text },
      required: ['value', 'label'],
      additionalProperties: false,
    },
  },
  multiple: { type: 'boolean' },
  min: { type: 'number' },
  max: { type: 'number' },
  integer: { type: 'boolean' },
  max_length: { type: 'integer', minimum: 1 },
  currency: key(CURRENCY_PATTERN),
  min_minor: { type: 'integer' },
  contact_role: { enum: [...CONTACT_ROLES] },
  team: key(STAGE_KEY_PATTERN),
} as const;

/**
 * The JSON Schema (draft 2020-12) every playbook document must satisfy before its semantics are
 * checked. Type-dependent attributes (options, columns, of, ...) are accepted on every field here and
 * checked against the field's type afterwards, so the messages can say which attribute needs which type.
 */
export const PLAYBOOK_META_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Baton playbook',
  type: 'object',
  properties: {
    key: key(KEBAB_KEY_PATTERN),
    version: { type: 'integer', minimum: 1 },
    name: text,
    description: text,
    stages: { type: 'array', minItems: 2, items: { $ref: '#/$defs/stage' } },
    transitions: { type: 'array', minItems: 1, items: { $ref: '#/$defs/transition' } },
    closeout: {
      type: 'object',
      properties: { checklist: { type: 'array', items: { enum: [...CLOSEOUT_ITEMS] } } },
      required: ['checklist'],
      additionalProperties: false,
    },
    after_closeout: {
      type: 'object',
      properties: {
        senders: { enum: [...INQUIRY_SENDERS] },
        before_closeout: { enum: [...BEFORE_CLOSEOUT] },
        task_due: text,
        reply_subject: text,
        reply_text: text,
      },
      required: ['reply_text'],
      additionalProperties: false,
    },
    inbound: {
      type: 'object',
      properties: {
        transition: key(KEBAB_KEY_PATTERN),
        fields: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              to: { type: 'string', pattern: INBOUND_TARGET_PATTERN },
              maps_from: {
                type: 'array',
                minItems: 1,
                items: { type: 'string', pattern: '^[a-z_]+\\.[^\\s]+$', maxLength: 300 },
              },
            },
            required: ['to', 'maps_from'],
            additionalProperties: false,
          },
        },
      },
      required: ['transition', 'fields'],
      additionalProperties: false,
    },
  },
  required: ['key', 'name', 'stages', 'transitions'],
  additionalProperties: false,
  $defs: {
    stage: {
      type: 'object',
      properties: { key: key(STAGE_KEY_PATTERN), name: text, description: text },
      required: ['key', 'name'],
      additionalProperties: false,
    },
    transition: {
      type: 'object',
      properties: {
        key: key(KEBAB_KEY_PATTERN),
        name: text,
        description: text,
        from: key(STAGE_KEY_PATTERN),
        to: key(STAGE_KEY_PATTERN),
        sender_team: key(STAGE_KEY_PATTERN),
        receiver_team: key(STAGE_KEY_PATTERN),
        sections: { type: 'array', minItems: 1, items: { $ref: '#/$defs/section' } },
        rejection_reasons: { type: 'array', items: { $ref: '#/$defs/rejectionReason' } },
        checkpoints: { type: 'array', items: { $ref: '#/$defs/checkpoint' } },
      },
      required: ['key', 'name', 'from', 'to', 'sender_team', 'receiver_team', 'sections'],
      additionalProperties: false,
    },
    section: {
      type: 'object',
      properties: {
        key: key(SNAKE_KEY_PATTERN),
        title: text,
        help: text,
        fields: { type: 'array', minItems: 1, items: { $ref: '#/$defs/field' } },
      },
      required: ['key', 'title', 'fields'],
      additionalProperties: false,
    },
    field: {
      type: 'object',
      properties: {
        ...commonFieldProperties,
        type: { enum: [...ALL_FIELD_TYPES] },
        required_when: {
          type: 'object',
          properties: {
            field: { type: 'string', pattern: '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$' },
            equals: { type: ['string', 'number', 'boolean'] },
            in: { type: 'array', minItems: 1, items: { type: ['string', 'number'] } },
            filled: { const: true },
          },
          required: ['field'],
          additionalProperties: false,
        },
        of: { enum: ['text', 'number', 'date'] },
        columns: { type: 'array', minItems: 1, items: { $ref: '#/$defs/column' } },
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: { key: key(SNAKE_KEY_PATTERN), label: text },
            required: ['key', 'label'],
            additionalProperties: false,
          },
        },
        min_items: { type: 'integer', minimum: 0 },
        max_items: { type: 'integer', minimum: 1 },
        maps_to: { enum: [...MAPS_TO_TARGETS] },
      },
      required: ['key', 'type', 'label'],
      additionalProperties: false,
    },
    column: {
      type: 'object',
      properties: { ...commonFieldProperties, type: { enum: [...COLUMN_TYPES] } },
      required: ['key', 'type', 'label'],
      additionalProperties: false,
    },
    rejectionReason: {
      type: 'object',
      properties: { code: key(SNAKE_KEY_PATTERN), label: text, description: text },
      required: ['code', 'label'],
      additionalProperties: false,
    },
    checkpoint: {
      type: 'object',
      properties: {
        key: key(SNAKE_KEY_PATTERN),
        name: text,
        description: text,
        due: text,
        opens: text,
        kind: { enum: [...CHECKPOINT_KINDS] },
        owner: key(STAGE_KEY_PATTERN),
        escalate_to: {
          type: 'object',
          properties: {
            role: { enum: ['admin', 'sales', 'operations', 'service'] },
            team: key(STAGE_KEY_PATTERN),
          },
          minProperties: 1,
          maxProperties: 1,
          additionalProperties: false,
        },
        required_attendees: { type: 'array', minItems: 1, items: key(SNAKE_KEY_PATTERN) },
        script: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: { key: key(SNAKE_KEY_PATTERN), question: text },
            required: ['key', 'question'],
            additionalProperties: false,
          },
        },
        compare: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$' },
        },
        gap_categories: { type: 'array', minItems: 1, items: key(SNAKE_KEY_PATTERN) },
        completed_by: { type: 'array', minItems: 1, items: { enum: [...LIFECYCLE_ANCHORS] } },
        on_close: { enum: [...CHECKPOINT_ON_CLOSE] },
      },
      required: ['key', 'name'],
      additionalProperties: false,
    },
  },
} as const;
