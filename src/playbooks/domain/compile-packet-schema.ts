import {
  DEFAULT_LONG_TEXT_MAX_LENGTH,
  DEFAULT_TEXT_MAX_LENGTH,
  type FieldDef,
  type JsonSchema,
  type RequiredWhen,
  type SectionDef,
  type TransitionDef,
} from './playbook.js';
import { CURRENCY_PATTERN, NON_BLANK_PATTERN } from './playbook-meta-schema.js';

/** The JSON Schema dialect of every packet schema. */
export const PACKET_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** `complete`: what a packet must satisfy to be submitted. `draft`: what an in-progress edit must satisfy. */
export type PacketSchemaMode = 'complete' | 'draft';

/** Maximum lengths of the parts of a contact. */
const CONTACT_LIMITS = {
  name: 200,
  role: 200,
  email: 254,
  phone: 50,
  organisation: 200,
  contact_id: 200,
} as const;

/** A field with a `required_when` condition, with its section: the entries of the root `allOf`, in order. */
export interface ConditionalField {
  section: SectionDef;
  field: FieldDef & { requiredWhen: RequiredWhen };
}

/** Lists the conditionally required fields in playbook order; `allOf[i]` of a complete schema is entry `i`. */
export function conditionalFields(transition: TransitionDef): ConditionalField[] {
  return transition.sections.flatMap((section) =>
    section.fields.flatMap((field) =>
      field.requiredWhen ? [{ section, field: field as ConditionalField['field'] }] : [],
    ),
  );
}

/**
 * Compiles a transition's handoff template into a JSON Schema for its packet,
 * `{ [sectionKey]: { [fieldKey]: value } }`. Unknown sections and fields are always rejected.
 * In `complete` mode required fields must be present and filled (non-blank text, at least one entry,
 * every checklist item ticked) and `required_when` conditions become root `if`/`then` rules;
 * in `draft` mode the types and shapes are the same but nothing is required.
 *
 * Example: `compilePacketSchema(playbook.transitions[0], 'complete')`.
 */
export function compilePacketSchema(transition: TransitionDef, mode: PacketSchemaMode): JsonSchema {
  const complete = mode === 'complete';
  const properties: Record<string, JsonSchema> = {};
  const requiredSections: string[] = [];
  for (const section of transition.sections) {
    const fields: Record<string, JsonSchema> = {};
    const requiredFields: string[] = [];
    for (const field of section.fields) {
      const mustFill = complete && field.required;
      fields[field.key] = valueSchema(field, mode, mustFill);
      if (mustFill) requiredFields.push(field.key);
    }
    properties[section.key] = {
      type: 'object',
      title: section.title,
      ...(section.help ? { description: section.help } : {}),
      properties: fields,
      ...(requiredFields.length > 0 ? { required: requiredFields } : {}),
      additionalProperties: false,
    };
    if (requiredFields.length > 0) requiredSections.push(section.key);
  }
  const rules = complete
    ? conditionalFields(transition).map((entry) => conditionRule(transition, entry))
    : [];
  return {
    $schema: PACKET_SCHEMA_DIALECT,
    title: transition.name,
    ...(transition.description ? { description: transition.description } : {}),
    type: 'object',
    properties,
    ...(requiredSections.length > 0 ? { required: requiredSections } : {}),
    additionalProperties: false,
    ...(rules.length > 0 ? { allOf: rules } : {}),
  };
}

/** Builds the `if`/`then` rule that makes a field required when its condition holds. */
function conditionRule(transition: TransitionDef, { section, field }: ConditionalField): JsonSchema {
  const [sourceSection, sourceKey] = field.requiredWhen.field.split('.') as [string, string];
  const source = transition.sections
    .find((s) => s.key === sourceSection)
    ?.fields.find((f) => f.key === sourceKey);
  if (!source) {
    throw new Error(
      `required_when of ${section.key}.${field.key} names unknown field ${field.requiredWhen.field}`,
    );
  }
  return {
    if: {
      required: [sourceSection],
      properties: {
        [sourceSection]: {
          type: 'object',
          required: [sourceKey],
          properties: { [sourceKey]: conditionSchema(source, field.requiredWhen) },
        },
      },
    },
    // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword, not a promise.
    then: {
      required: [section.key],
      properties: {
        [section.key]: {
          type: 'object',
          required: [field.key],
          properties: { [field.key]: valueSchema(field, 'complete', true) },
        },
      },
    },
  };
}

/** The schema a source field's value matches when a `required_when` condition holds. */
function conditionSchema(source: FieldDef, condition: RequiredWhen): JsonSchema {
  if (condition.equals !== undefined) return { const: condition.equals };
  if (condition.in !== undefined) return { enum: [...condition.in] };
  switch (source.type) {
    case 'text':
    case 'long_text':
    case 'date':
    case 'user':
      return { type: 'string', pattern: NON_BLANK_PATTERN };
    case 'list':
    case 'table':
      return { type: 'array', minItems: 1 };
    case 'enum':
      return source.multiple ? { type: 'array', minItems: 1 } : { type: 'string' };
    default:
      // Presence is enough for numbers, yes/no answers, money, contacts and checklists.
      return true as unknown as JsonSchema;
  }
}

/** Title and description of a value schema, from the field's label and help. */
function annotations(field: FieldDef): JsonSchema {
  return { title: field.label, ...(field.help ? { description: field.help } : {}) };
}

/** Non-blank text constraints. */
const filledText = { minLength: 1, pattern: NON_BLANK_PATTERN } as const;

/**
 * The schema of one field's (or column's) value. `mustFill` adds what "required" means for the type:
 * non-blank text, at least one entry, every checklist item ticked.
 */
function valueSchema(field: FieldDef, mode: PacketSchemaMode, mustFill: boolean): JsonSchema {
  const complete = mode === 'complete';
  const base = annotations(field);
  switch (field.type) {
    case 'text':
    case 'long_text':
      return {
        ...base,
        type: 'string',
        ...(mustFill ? filledText : {}),
        maxLength:
          field.maxLength ?? (field.type === 'text' ? DEFAULT_TEXT_MAX_LENGTH : DEFAULT_LONG_TEXT_MAX_LENGTH),
      };
    case 'number':
      return {
        ...base,
        type: field.integer ? 'integer' : 'number',
        ...(field.min !== undefined ? { minimum: field.min } : {}),
        ...(field.max !== undefined ? { maximum: field.max } : {}),
      };
    case 'money':
      return {
        ...base,
        type: 'object',
        properties: {
          amount_minor: {
            type: 'integer',
            title: 'Amount in minor units (e.g. cents)',
            // Like a list's minimum entries, a least amount binds a complete packet only: a draft
            // may hold 0.00 while the price is looked up, and readiness names it.
            ...(complete && field.minMinor !== undefined ? { minimum: field.minMinor } : {}),
          },
          currency: field.currency
            ? { type: 'string', title: 'Currency', const: field.currency }
            : { type: 'string', title: 'Currency (ISO 4217)', pattern: CURRENCY_PATTERN },
        },
        required: ['amount_minor', 'currency'],
        additionalProperties: false,
      };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'enum': {
      const values = (field.options ?? []).map((o) => o.value);
      if (!field.multiple) return { ...base, type: 'string', enum: values };
      return {
        ...base,
        type: 'array',
        items: { type: 'string', enum: values },
        uniqueItems: true,
        ...(mustFill ? { minItems: 1 } : {}),
      };
    }
    case 'contact':
      return {
        ...base,
        type: 'object',
        properties: {
          name: { type: 'string', title: 'Name', ...filledText, maxLength: CONTACT_LIMITS.name },
          role: { type: 'string', title: 'Role', maxLength: CONTACT_LIMITS.role },
          email: { type: 'string', title: 'E-mail', format: 'email', maxLength: CONTACT_LIMITS.email },
          phone: { type: 'string', title: 'Phone', maxLength: CONTACT_LIMITS.phone },
          organisation: { type: 'string', title: 'Organisation', maxLength: CONTACT_LIMITS.organisation },
          contact_id: { type: 'string', title: 'Contact id', maxLength: CONTACT_LIMITS.contact_id },
        },
        required: ['name'],
        additionalProperties: false,
      };
    case 'user':
      return { ...base, type: 'string', format: 'email' };
    case 'list':
      return {
        ...base,
        type: 'array',
        items: listItemSchema(field, mode),
        ...countLimits(field, mode, mustFill),
      };
    case 'table': {
      const columns: Record<string, JsonSchema> = {};
      const requiredColumns: string[] = [];
      for (const column of field.columns ?? []) {
        const mustFillColumn = complete && column.required;
        columns[column.key] = valueSchema(column, mode, mustFillColumn);
        if (mustFillColumn) requiredColumns.push(column.key);
      }
      return {
        ...base,
        type: 'array',
        items: {
          type: 'object',
          properties: columns,
          ...(requiredColumns.length > 0 ? { required: requiredColumns } : {}),
          additionalProperties: false,
        },
        ...countLimits(field, mode, mustFill),
      };
    }
    case 'checklist': {
      const items: Record<string, JsonSchema> = {};
      for (const item of field.items ?? []) {
        items[item.key] = { type: 'boolean', title: item.label, ...(mustFill ? { const: true } : {}) };
      }
      return {
        ...base,
        type: 'object',
        properties: items,
        ...(mustFill ? { required: Object.keys(items) } : {}),
        additionalProperties: false,
      };
    }
    case 'yes_no':
      return { ...base, type: 'boolean' };
    case 'file':
      return {
        ...base,
        type: 'object',
        properties: {
          file_id: { type: 'string', title: 'File of the engagement', minLength: 1, maxLength: 64 },
          version: { type: 'integer', title: 'Version', minimum: 1 },
        },
        required: ['file_id', 'version'],
        additionalProperties: false,
      };
    case 'secret':
      return { ...base, ...SECRET_VALUE };
  }
}

/**
 * A `secret` field's value: a new value as typed (a string, which saving the packet moves into the
 * engagement's vault), or what the packet keeps, a reference to that vault entry. A stored packet
 * never holds the value itself.
 */
const SECRET_VALUE: JsonSchema = {
  oneOf: [
    { type: 'string', minLength: 1, maxLength: 4000, title: 'A new value, stored in the vault on save' },
    {
      type: 'object',
      title: 'The vault entry that holds the value',
      properties: { vault: { type: 'string', minLength: 1, maxLength: 100 } },
      required: ['vault'],
      additionalProperties: false,
    },
  ],
};

/** The schema of one entry of a list field; complete packets may not contain blank text entries. */
function listItemSchema(field: FieldDef, mode: PacketSchemaMode): JsonSchema {
  switch (field.of) {
    case 'number':
      return { type: 'number' };
    case 'date':
      return { type: 'string', format: 'date' };
    default:
      return {
        type: 'string',
        ...(mode === 'complete' ? filledText : {}),
        maxLength: field.maxLength ?? DEFAULT_TEXT_MAX_LENGTH,
      };
  }
}

/** `minItems`/`maxItems` of a list or table: minimums only apply to complete packets. */
function countLimits(field: FieldDef, mode: PacketSchemaMode, mustFill: boolean): JsonSchema {
  const minimum = mode === 'complete' ? Math.max(mustFill ? 1 : 0, field.minItems ?? 0) : 0;
  return {
    ...(minimum > 0 ? { minItems: minimum } : {}),
    ...(field.maxItems !== undefined ? { maxItems: field.maxItems } : {}),
  };
}
