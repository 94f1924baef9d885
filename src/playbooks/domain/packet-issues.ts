import type { ErrorObject } from 'ajv/dist/2020.js';
import { conditionalFields } from './compile-packet-schema.js';
import { pointer, tokens } from './json-pointer.js';
import type { FieldDef, SectionDef, TransitionDef } from './playbook.js';
import { CURRENCY_PATTERN, NON_BLANK_PATTERN } from './playbook-meta-schema.js';
import type { UserDirectory } from './user-directory.js';

/** What kind of problem a packet value has. */
export type PacketIssueCode =
  | 'required'
  | 'invalid_type'
  | 'invalid_value'
  | 'unknown_field'
  | 'too_short'
  | 'too_long'
  | 'invalid_format'
  /** A `user` field names someone who is not an active user of the organisation. */
  | 'unknown_user'
  /** A `user` field with a `team` names a user who is not in that team. */
  | 'not_in_team';

/** One problem with a packet: where (JSON pointer), what kind, in plain words, and which field. */
export interface PacketIssue {
  path: string;
  code: PacketIssueCode;
  message: string;
  /** The playbook field concerned, as `section.field`. */
  field?: string;
}

/** When two errors land on the same path, the lower rank is the more useful one to show. */
const RANK: Readonly<Record<PacketIssueCode, number>> = {
  invalid_type: 0,
  unknown_field: 1,
  required: 2,
  invalid_value: 3,
  invalid_format: 4,
  too_short: 5,
  too_long: 6,
  unknown_user: 7,
  not_in_team: 8,
};

const CONTACT_PARTS: Readonly<Record<string, string>> = {
  name: 'name',
  role: 'role',
  email: 'e-mail',
  phone: 'phone',
  organisation: 'organisation',
  contact_id: 'contact id',
};

const UNKNOWN = Number.MAX_SAFE_INTEGER;

interface Located {
  /** Words naming the value, e.g. `Made by in row 2 of Promises`. */
  subject: string;
  /** The definition describing the value, when it is a field or column itself. */
  def?: FieldDef;
  /** What the value is part of, for unknown-key messages. */
  container: string;
  field?: string;
  /** Sort key: definition order of section, field, row, column... (unknown keys last). */
  order: number[];
  /** True for entries of a list field (blank entries are invalid, not missing). */
  listEntry?: boolean;
  checklistItem?: boolean;
}

/** A `user` field's value that names no active user, or none of the field's team. */
export interface UserProblem {
  /** Tokens of the value's path: `[section, field]`, or `[section, field, row, column]`. */
  parts: string[];
  code: 'unknown_user' | 'not_in_team';
  email: string;
  team?: string;
}

/** Translates raw Ajv errors, and problems with the users a packet names, into packet issues. */
export type IssueTranslator = (
  errors: readonly ErrorObject[],
  packet: unknown,
  mode: 'complete' | 'draft',
  users?: readonly UserProblem[],
) => PacketIssue[];

/** Where a transition's `user` values are: fields of sections, and columns of table fields. */
interface UserSlot {
  section: string;
  field: string;
  column?: string;
  team?: string;
}

/**
 * Finds, for one transition, every user a packet names and every one of them the directory does
 * not know (or knows outside the field's team). Values that are not text are the schema's business.
 */
export function createUserCheck(transition: TransitionDef): {
  named(packet: unknown): string[];
  problems(packet: unknown, users: UserDirectory): UserProblem[];
} {
  const slots: UserSlot[] = transition.sections.flatMap((section) =>
    section.fields.flatMap((field): UserSlot[] => {
      if (field.type === 'user') return [{ section: section.key, field: field.key, team: field.team }];
      if (field.type !== 'table') return [];
      return (field.columns ?? [])
        .filter((column) => column.type === 'user')
        .map((column) => ({ section: section.key, field: field.key, column: column.key, team: column.team }));
    }),
  );
  const values = (packet: unknown) => {
    const found: { parts: string[]; email: string; team?: string }[] = [];
    for (const slot of slots) {
      const value = valueAt(packet, [slot.section, slot.field]);
      if (slot.column === undefined) {
        if (typeof value === 'string' && value.trim())
          found.push({ parts: [slot.section, slot.field], email: value.trim(), team: slot.team });
        continue;
      }
      if (!Array.isArray(value)) continue;
      value.forEach((row, index) => {
        const cell = valueAt(row, [slot.column as string]);
        if (typeof cell === 'string' && cell.trim())
          found.push({
            parts: [slot.section, slot.field, String(index), slot.column as string],
            email: cell.trim(),
            team: slot.team,
          });
      });
    }
    return found;
  };
  return {
    named: (packet) => (slots.length === 0 ? [] : [...new Set(values(packet).map((v) => v.email))]),
    problems(packet, users) {
      if (slots.length === 0) return [];
      return values(packet).flatMap(({ parts, email, team }): UserProblem[] => {
        const teams = users.teamsOf(email);
        if (teams === undefined) return [{ parts, code: 'unknown_user', email }];
        if (team !== undefined && !teams.includes(team)) return [{ parts, code: 'not_in_team', email, team }];
        return [];
      });
    },
  };
}

/** Builds the translator for a transition, indexing its sections and fields once. */
export function createIssueTranslator(transition: TransitionDef): IssueTranslator {
  const sections = new Map<
    string,
    { section: SectionDef; index: number; fields: Map<string, [FieldDef, number]> }
  >();
  transition.sections.forEach((section, index) => {
    const fields = new Map<string, [FieldDef, number]>();
    section.fields.forEach((field, fi) => {
      fields.set(field.key, [field, fi]);
    });
    sections.set(section.key, { section, index, fields });
  });
  const conditional = conditionalFields(transition);

  const locate = (parts: readonly string[]): Located => {
    const [sectionKey, fieldKey, ...rest] = parts;
    if (sectionKey === undefined)
      return { subject: 'The packet', container: 'a section of this handoff', order: [-1] };
    const entry = sections.get(sectionKey);
    if (!entry) {
      return { subject: `"${sectionKey}"`, container: 'a section of this handoff', order: [UNKNOWN] };
    }
    const { section, index } = entry;
    if (fieldKey === undefined) {
      return { subject: section.title, container: `a field of ${section.title}`, order: [index] };
    }
    const found = entry.fields.get(fieldKey);
    if (!found) {
      return { subject: `"${fieldKey}"`, container: `a field of ${section.title}`, order: [index, UNKNOWN] };
    }
    const [def, fieldIndex] = found;
    const part = locatePart(def, rest, def.label);
    return { ...part, field: `${sectionKey}.${fieldKey}`, order: [index, fieldIndex, ...part.order] };
  };

  return (errors, packet, mode, users = []) => {
    const best = new Map<string, { issue: PacketIssue; order: number[]; seq: number }>();
    let seq = 0;
    const add = (parts: readonly string[], code: PacketIssueCode, message: (at: Located) => string) => {
      const at = locate(parts);
      const path = pointer(parts);
      const issue: PacketIssue = {
        path,
        code,
        message: message(at),
        ...(at.field ? { field: at.field } : {}),
      };
      const known = best.get(path);
      if (!known || RANK[code] < RANK[known.issue.code])
        best.set(path, { issue, order: at.order, seq: seq++ });
    };
    const missing = (parts: readonly string[]) =>
      add(parts, 'required', (at) =>
        at.checklistItem ? `${at.subject} must be ticked` : `${at.subject} is required`,
      );

    for (const error of errors) {
      const parts = tokens(error.instancePath);
      const params = error.params as Record<string, unknown>;
      switch (error.keyword) {
        case 'if':
          // The failing "then" branch reports the real problem; "must match then schema" adds nothing.
          break;
        case 'required': {
          const key = String(params.missingProperty);
          if (parts.length === 0) {
            // A whole section is missing: name the fields it should have held.
            const rule = /^#\/allOf\/(\d+)\/then\//.exec(error.schemaPath);
            const entry = rule ? conditional[Number(rule[1])] : undefined;
            if (entry) {
              missing([entry.section.key, entry.field.key]);
              break;
            }
            const required = sections.get(key)?.section.fields.filter((f) => f.required) ?? [];
            if (required.length === 0) missing([key]);
            for (const field of required) missing([key, field.key]);
          } else {
            missing([...parts, key]);
          }
          break;
        }
        case 'additionalProperties': {
          const key = String(params.additionalProperty);
          add([...parts, key], 'unknown_field', () => `"${key}" is not ${locate(parts).container}`);
          break;
        }
        case 'type':
          add(
            parts,
            'invalid_type',
            (at) => `${at.subject} must be ${expectedType(at.def, String(params.type))}`,
          );
          break;
        case 'minLength':
        case 'pattern': {
          const pattern = error.keyword === 'pattern' ? String(params.pattern) : NON_BLANK_PATTERN;
          if (pattern === NON_BLANK_PATTERN) {
            const at = locate(parts);
            if (at.listEntry) add(parts, 'invalid_value', () => `${at.subject} must not be blank`);
            else missing(parts);
          } else if (pattern === CURRENCY_PATTERN) {
            add(
              parts,
              'invalid_format',
              (at) => `${at.subject} must be a three-letter currency code such as EUR`,
            );
          } else {
            add(parts, 'invalid_format', (at) => `${at.subject} must match ${pattern}`);
          }
          break;
        }
        case 'maxLength':
          add(parts, 'too_long', (at) => `${at.subject} must be at most ${String(params.limit)} characters`);
          break;
        case 'maxItems':
          add(parts, 'too_long', (at) => `${at.subject} must have at most ${entries(params.limit)}`);
          break;
        case 'minItems': {
          const value = valueAt(packet, parts);
          if (Array.isArray(value) && value.length === 0 && mode === 'complete') missing(parts);
          else add(parts, 'too_short', (at) => `${at.subject} needs at least ${entries(params.limit)}`);
          break;
        }
        case 'const':
          if (params.allowedValue === true) missing(parts);
          else
            add(
              parts,
              'invalid_value',
              (at) => `${at.subject} must be ${JSON.stringify(params.allowedValue)}`,
            );
          break;
        case 'enum':
          add(
            parts,
            'invalid_value',
            (at) => `${at.subject} must be one of: ${optionList(at, params.allowedValues)}`,
          );
          break;
        case 'format':
          add(parts, 'invalid_format', (at) =>
            params.format === 'date'
              ? `${at.subject} must be a date written as YYYY-MM-DD`
              : params.format === 'email'
                ? `${at.subject} must be an e-mail address`
                : `${at.subject} must be in the ${String(params.format)} format`,
          );
          break;
        case 'minimum':
        case 'maximum':
        case 'exclusiveMinimum':
        case 'exclusiveMaximum': {
          if (error.keyword === 'minimum' && parts.at(-1) === 'amount_minor') {
            // A money field's least amount is in minor units: say it in words people read.
            const limit = Number(params.limit);
            add(parts, 'invalid_value', (at) =>
              limit === 1
                ? `${at.subject} must be more than zero`
                : `${at.subject} must be at least ${limit} in minor units (cents)`,
            );
            break;
          }
          const words = {
            minimum: 'at least',
            maximum: 'at most',
            exclusiveMinimum: 'more than',
            exclusiveMaximum: 'less than',
          };
          add(
            parts,
            'invalid_value',
            (at) =>
              `${at.subject} must be ${words[error.keyword as keyof typeof words]} ${String(params.limit)}`,
          );
          break;
        }
        case 'uniqueItems':
          add(parts, 'invalid_value', (at) => `${at.subject} lists the same choice more than once`);
          break;
        default:
          add(parts, 'invalid_value', (at) => `${at.subject} ${error.message ?? 'is not valid'}`);
      }
    }
    for (const user of users) {
      add(user.parts, user.code, (at) =>
        user.code === 'unknown_user'
          ? `${at.subject} names ${user.email}, who is not an active user of this organisation`
          : `${at.subject} names ${user.email}, who is not a member of team ${user.team}`,
      );
    }
    const issues = [...best.values()]
      .sort((a, b) => compareOrder(a.order, b.order) || a.seq - b.seq)
      .map((entry) => entry.issue);
    // Never answer "not ready" without saying why, even for an error shape not translated above.
    return issues.length > 0
      ? issues
      : [{ path: '', code: 'invalid_value', message: 'The packet is not valid' }];
  };
}

/** The position of `key` in `keys` for sorting, unknown keys last. */
function rank(keys: readonly string[], key: string): number {
  const index = keys.indexOf(key);
  return index < 0 ? UNKNOWN : index;
}

/** Orders two sort keys lexicographically; a shorter prefix (the field itself) comes first. */
function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

type Part = Omit<Located, 'field'>;

/** Describes the value at `rest` inside a field's value. */
function locatePart(def: FieldDef, rest: readonly string[], label: string): Part {
  const [head, ...tail] = rest;
  const container = containerOf(def, label);
  if (head === undefined) return { subject: label, def, container, order: [] };
  const ordinal = Number(head) + 1;
  switch (def.type) {
    case 'table': {
      const rowName = `row ${ordinal} of ${label}`;
      const [columnKey, ...deeper] = tail;
      if (columnKey === undefined) {
        return {
          subject: `Row ${ordinal} of ${label}`,
          container: `a column of ${label}`,
          order: [Number(head)],
        };
      }
      const columns = (def.columns ?? []).map((c) => c.key);
      const column = def.columns?.find((c) => c.key === columnKey);
      const order = [Number(head), rank(columns, columnKey)];
      if (!column)
        return { subject: `"${columnKey}" in ${rowName}`, container: `a column of ${label}`, order };
      const part = locatePart(column, deeper, `${column.label} in ${rowName}`);
      return { ...part, order: [...order, ...part.order] };
    }
    case 'list':
      return { subject: `Entry ${ordinal} of ${label}`, container, order: [Number(head)], listEntry: true };
    case 'enum':
      return { subject: `Choice ${ordinal} of ${label}`, container, order: [Number(head)] };
    case 'money': {
      const names: Record<string, string> = { amount_minor: 'amount', currency: 'currency' };
      const name = names[head];
      return {
        subject: name ? `The ${name} of ${label}` : `"${head}" in ${label}`,
        container,
        order: [rank(Object.keys(names), head)],
      };
    }
    case 'contact': {
      const name = CONTACT_PARTS[head];
      return {
        subject: name ? `The ${name} of ${label}` : `"${head}" in ${label}`,
        container,
        order: [rank(Object.keys(CONTACT_PARTS), head)],
      };
    }
    case 'checklist': {
      const items = (def.items ?? []).map((i) => i.key);
      const item = def.items?.find((i) => i.key === head);
      return {
        subject: `"${item?.label ?? head}" in ${label}`,
        container,
        order: [rank(items, head)],
        checklistItem: !!item,
      };
    }
    default:
      return { subject: `"${head}" in ${label}`, container, order: [UNKNOWN] };
  }
}

/** How unknown keys inside a field's value are described: "... is not <container>". */
function containerOf(def: FieldDef, label: string): string {
  switch (def.type) {
    case 'table':
      return `a column of ${label}`;
    case 'checklist':
      return `an item of ${label}`;
    case 'money':
      return `part of an amount (${label} takes amount_minor and currency)`;
    case 'contact':
      return `part of a contact (${label} takes name, role, email, phone, organisation, contact_id)`;
    default:
      return `part of ${label}`;
  }
}

/** What a value of this definition should be, in words. */
function expectedType(def: FieldDef | undefined, ajvType: string): string {
  switch (def?.type) {
    case 'text':
    case 'long_text':
      return 'text';
    case 'number':
      return def.integer ? 'a whole number' : 'a number';
    case 'money':
      return 'an amount of money ({ amount_minor, currency })';
    case 'date':
      return 'a date written as YYYY-MM-DD';
    case 'enum':
      return def.multiple ? 'a list of choices' : 'one of the choices';
    case 'contact':
      return 'a contact ({ name, role, email, ... })';
    case 'user':
      return "a user's e-mail address";
    case 'list':
      return 'a list';
    case 'table':
      return 'a list of rows';
    case 'checklist':
      return 'a checklist ({ item: true or false })';
    case 'yes_no':
      return 'yes or no (true or false)';
    case 'file':
      return 'a file of the engagement ({ file_id, version })';
    default:
      return (
        {
          string: 'text',
          number: 'a number',
          integer: 'a whole number',
          boolean: 'true or false',
          array: 'a list',
          object: 'an object',
        }[ajvType] ?? ajvType
      );
  }
}

/** "1 entry" / "3 entries". */
function entries(limit: unknown): string {
  return Number(limit) === 1 ? '1 entry' : `${String(limit)} entries`;
}

/** The allowed values, with their labels when the definition is an enum. */
function optionList(at: Located, allowed: unknown): string {
  const labels = new Map((at.def?.options ?? []).map((o) => [o.value, o.label]));
  return (Array.isArray(allowed) ? allowed : [])
    .map((v) => (labels.has(v) ? `"${String(v)}" (${labels.get(v)})` : JSON.stringify(v)))
    .join(', ');
}

/** Reads the value at a token path, or `undefined`. */
function valueAt(root: unknown, parts: readonly string[]): unknown {
  let value = root;
  for (const part of parts) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
