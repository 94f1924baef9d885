import { parseDueExpression } from '../../calendar/domain/due-expression.js';
import { checkAfterCloseout } from './after-closeout.js';
import { checkCheckpointOrder } from './check-checkpoint-order.js';
import { checkInbound } from './check-inbound.js';
import { didYouMean } from './did-you-mean.js';
import { nameList } from './name-list.js';

/** A semantic problem found in a structurally parsed playbook document, before positions are attached. */
export interface SemanticIssue {
  path: string;
  message: string;
  /** Point at the mapping key rather than its value (for attributes that should not be there). */
  target?: 'key' | 'value';
  /**
   * The rest of the message (suggestions, lists of names), worked out only for the problems that
   * are reported, so that thousands of problems do not each search the whole document.
   */
  detail?: () => string;
}

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const stringOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Which field types each type-specific attribute applies to. */
const ATTRIBUTE_TYPES: Readonly<Record<string, readonly string[]>> = {
  options: ['enum'],
  multiple: ['enum'],
  of: ['list'],
  columns: ['table'],
  items: ['checklist'],
  min: ['number'],
  max: ['number'],
  integer: ['number'],
  max_length: ['text', 'long_text', 'list'],
  min_items: ['list', 'table'],
  max_items: ['list', 'table'],
  currency: ['money'],
  min_minor: ['money'],
  contact_role: ['contact'],
  team: ['user'],
};

/** Attributes a type cannot do without, with the message given when one is missing or empty. */
const NEEDED_ATTRIBUTES: Readonly<Record<string, { attribute: string; message: string }>> = {
  enum: { attribute: 'options', message: 'an enum field needs at least one entry in "options"' },
  table: { attribute: 'columns', message: 'a table field needs at least one entry in "columns"' },
  list: { attribute: 'of', message: 'a list field needs "of" (text, number or date) to say what it lists' },
  checklist: { attribute: 'items', message: 'a checklist field needs at least one entry in "items"' },
};

/** Which checkpoint kinds each kind-specific attribute applies to. */
const CHECKPOINT_ATTRIBUTE_KINDS: Readonly<Record<string, readonly string[]>> = {
  required_attendees: ['meeting'],
  script: ['confirmation_call'],
  compare: ['follow_up_review'],
  gap_categories: ['follow_up_review'],
};

const TEXT_TYPES = new Set(['text', 'long_text']);

interface FieldEntry {
  def: Raw;
  path: string;
  type: string | undefined;
}

/**
 * Checks what a JSON Schema cannot express: unique keys, references between stages and fields, type
 * attributes that fit the field's type, `required_when` conditions that can be met, and `maps_to`
 * targets that fit the field. Tolerates malformed input (the structural errors are reported separately),
 * so every problem in the document is found in one pass.
 *
 * `lineOf` gives the line of a path, so duplicates can say where the first definition is.
 */
export function checkPlaybookSemantics(raw: unknown, lineOf: (path: string) => number): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  if (!isRecord(raw)) return issues;

  const checkUnique = (items: unknown[], base: string, keyName: string, what: string): void => {
    const seen = new Map<string, string>();
    items.forEach((item, index) => {
      if (!isRecord(item)) return;
      const value = stringOf(item[keyName]);
      if (value === undefined) return;
      const path = `${base}/${index}/${keyName}`;
      const first = seen.get(value);
      if (first === undefined) seen.set(value, path);
      else
        issues.push({
          path,
          message: `duplicate ${what} "${value}" (first defined at line ${lineOf(first)})`,
        });
    });
  };

  const stages = listOf(raw.stages);
  checkUnique(stages, '/stages', 'key', 'stage key');
  const stageKeys = stages.flatMap((s) => (isRecord(s) && typeof s.key === 'string' ? [s.key] : []));
  const stageSet = new Set(stageKeys);

  const transitions = listOf(raw.transitions);
  checkUnique(transitions, '/transitions', 'key', 'transition key');
  transitions.forEach((transition, index) => {
    if (isRecord(transition)) checkTransition(transition, `/transitions/${index}`);
  });
  if (isRecord(raw.closeout)) checkClosingList(listOf(raw.closeout.checklist));
  if (isRecord(raw.after_closeout)) issues.push(...checkAfterCloseout(raw.after_closeout));
  issues.push(...checkInbound(raw));
  return issues;

  /** A closeout checklist names each item once. */
  function checkClosingList(items: unknown[]): void {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      if (typeof item !== 'string') return;
      const first = seen.get(item);
      if (first === undefined) seen.set(item, index);
      else
        issues.push({
          path: `/closeout/checklist/${index}`,
          message: `duplicate checklist item "${item}" (first listed at line ${lineOf(`/closeout/checklist/${first}`)})`,
        });
    });
  }

  function checkTransition(transition: Raw, base: string): void {
    for (const end of ['from', 'to'] as const) {
      const stage = stringOf(transition[end]);
      if (stage !== undefined && stageKeys.length > 0 && !stageSet.has(stage)) {
        issues.push({
          path: `${base}/${end}`,
          message: `unknown stage "${stage}"`,
          detail: () => `${hint(stage, stageKeys)}; the stages are: ${nameList(stageKeys)}`,
        });
      }
    }
    if (typeof transition.from === 'string' && transition.from === transition.to) {
      issues.push({
        path: `${base}/to`,
        message: 'a transition must lead to a different stage than it starts from',
      });
    }

    const reasons = transition.rejection_reasons;
    if (reasons === undefined || (Array.isArray(reasons) && reasons.length === 0)) {
      issues.push({
        path: `${base}/rejection_reasons`,
        message:
          'a transition needs at least one rejection reason, so the receiver can say why a packet is not acceptable',
      });
    }
    checkUnique(listOf(reasons), `${base}/rejection_reasons`, 'code', 'rejection reason code');
    checkUnique(listOf(transition.checkpoints), `${base}/checkpoints`, 'key', 'checkpoint key');

    const sections = listOf(transition.sections);
    checkUnique(sections, `${base}/sections`, 'key', 'section key');

    // Index fields by `section.field` (first definitions only) for required_when references.
    const fields = new Map<string, FieldEntry>();
    sections.forEach((section, si) => {
      if (!isRecord(section)) return;
      const sectionKey = stringOf(section.key);
      const sectionFields = listOf(section.fields);
      checkUnique(
        sectionFields,
        `${base}/sections/${si}/fields`,
        'key',
        `field key in section "${sectionKey}"`,
      );
      sectionFields.forEach((field, fi) => {
        if (!isRecord(field) || sectionKey === undefined || typeof field.key !== 'string') return;
        const name = `${sectionKey}.${field.key}`;
        if (!fields.has(name)) {
          fields.set(name, {
            def: field,
            path: `${base}/sections/${si}/fields/${fi}`,
            type: stringOf(field.type),
          });
        }
      });
    });

    const mapsToUsers = new Map<string, string>();
    sections.forEach((section, si) => {
      if (!isRecord(section)) return;
      listOf(section.fields).forEach((field, fi) => {
        if (!isRecord(field)) return;
        const path = `${base}/sections/${si}/fields/${fi}`;
        checkField(field, path);
        const self = `${stringOf(section.key)}.${stringOf(field.key)}`;
        if (field.required_when !== undefined) checkRequiredWhen(field, path, self, fields);
        if (typeof field.maps_to === 'string') checkMapsTo(field, path, self, mapsToUsers);
      });
    });
    listOf(transition.checkpoints).forEach((checkpoint, ci) => {
      if (isRecord(checkpoint)) checkCheckpoint(checkpoint, `${base}/checkpoints/${ci}`, fields);
    });
    issues.push(...checkCheckpointOrder(listOf(transition.checkpoints), `${base}/checkpoints`));
  }

  function checkCheckpoint(checkpoint: Raw, path: string, fields: Map<string, FieldEntry>): void {
    if (typeof checkpoint.due === 'string') {
      const parsed = parseDueExpression(checkpoint.due);
      if (!parsed.ok) issues.push({ path: `${path}/due`, message: parsed.message });
    }
    const kind = stringOf(checkpoint.kind) ?? 'task';
    for (const [attribute, kinds] of Object.entries(CHECKPOINT_ATTRIBUTE_KINDS)) {
      if (checkpoint[attribute] !== undefined && !kinds.includes(kind)) {
        issues.push({
          path: `${path}/${attribute}`,
          target: 'key',
          message: `"${attribute}" only applies to ${kinds.join(' and ')} checkpoints, not to a ${kind} checkpoint`,
        });
      }
    }
    if (kind === 'follow_up_review' && checkpoint.compare === undefined) {
      issues.push({
        path: `${path}/compare`,
        message: 'a follow_up_review checkpoint needs "compare": the fields (section.field) to compare',
      });
    }
    listOf(checkpoint.compare).forEach((name, i) => {
      if (typeof name !== 'string' || fields.has(name)) return;
      issues.push({
        path: `${path}/compare/${i}`,
        message: `compare refers to unknown field "${name}"`,
        detail: () => `${hint(name, fields.keys())}; name a field of this transition as section.field`,
      });
    });
    const scriptKeys = listOf(checkpoint.script);
    const seen = new Set<string>();
    scriptKeys.forEach((q, i) => {
      const k = isRecord(q) ? stringOf(q.key) : undefined;
      if (k === undefined) return;
      if (seen.has(k))
        issues.push({ path: `${path}/script/${i}/key`, message: `duplicate question key "${k}"` });
      seen.add(k);
    });
  }

  function checkField(field: Raw, path: string): void {
    const type = stringOf(field.type);
    if (type === undefined) return;
    for (const [attribute, types] of Object.entries(ATTRIBUTE_TYPES)) {
      if (field[attribute] !== undefined && !types.includes(type)) {
        issues.push({
          path: `${path}/${attribute}`,
          target: 'key',
          message: `"${attribute}" only applies to ${types.join(' and ')} fields, not to a ${type} field`,
        });
      }
    }
    const needed = NEEDED_ATTRIBUTES[type];
    if (needed) {
      const value = field[needed.attribute];
      if (value === undefined || (Array.isArray(value) && value.length === 0)) {
        issues.push({ path: `${path}/${needed.attribute}`, message: needed.message });
      }
    }
    if (typeof field.min === 'number' && typeof field.max === 'number' && field.min > field.max) {
      issues.push({ path: `${path}/max`, message: `"max" (${field.max}) is below "min" (${field.min})` });
    }
    if (
      typeof field.min_items === 'number' &&
      typeof field.max_items === 'number' &&
      field.min_items > field.max_items
    ) {
      issues.push({
        path: `${path}/max_items`,
        message: `"max_items" (${field.max_items}) is below "min_items" (${field.min_items})`,
      });
    }
    checkUnique(listOf(field.options), `${path}/options`, 'value', 'option value');
    checkUnique(listOf(field.items), `${path}/items`, 'key', 'checklist item key');
    const columns = listOf(field.columns);
    checkUnique(columns, `${path}/columns`, 'key', 'column key');
    columns.forEach((column, ci) => {
      if (isRecord(column)) checkField(column, `${path}/columns/${ci}`);
    });
  }

  function checkRequiredWhen(field: Raw, path: string, self: string, fields: Map<string, FieldEntry>): void {
    const condition = field.required_when;
    if (!isRecord(condition)) return;
    const base = `${path}/required_when`;
    const tests = (['equals', 'in', 'filled'] as const).filter((name) => condition[name] !== undefined);
    if (tests.length !== 1) {
      issues.push({
        path: base,
        message: `required_when needs exactly one of "equals", "in" or "filled"${tests.length > 1 ? `, not ${tests.join(' and ')}` : ''}`,
      });
    }
    if (field.required === true) {
      issues.push({
        path: `${path}/required`,
        target: 'key',
        message: 'a field cannot be both "required: true" and "required_when"; keep one of them',
      });
    }
    const reference = stringOf(condition.field);
    if (reference === undefined || !/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/.test(reference)) return;
    if (reference === self) {
      issues.push({ path: `${base}/field`, message: 'required_when cannot depend on the field itself' });
      return;
    }
    const source = fields.get(reference);
    if (!source) {
      issues.push({
        path: `${base}/field`,
        message: `required_when refers to unknown field "${reference}"`,
        detail: () => `${hint(reference, fields.keys())}; name a field of this transition as section.field`,
      });
      return;
    }
    const [test] = tests;
    if (tests.length === 1 && test !== 'filled' && test !== undefined) {
      const problem = conditionProblem(source, test, condition[test]);
      if (problem)
        issues.push({ path: `${base}/${test}`, message: `required_when on "${reference}": ${problem}` });
    }
  }

  function checkMapsTo(field: Raw, path: string, self: string, users: Map<string, string>): void {
    const target = field.maps_to as string;
    const type = stringOf(field.type);
    const problem = mapsToProblem(target, type, field);
    if (problem) issues.push({ path: `${path}/maps_to`, message: `maps_to "${target}" ${problem}` });
    if (target === 'contacts') return;
    const first = users.get(target);
    if (first === undefined) users.set(target, self);
    else {
      issues.push({
        path: `${path}/maps_to`,
        message: `maps_to "${target}" is already used by field "${first}"; only one field may feed it`,
      });
    }
  }
}

/** ` (did you mean "…"?)` when a candidate is close to `word`, else nothing. */
function hint(word: string, candidates: Iterable<string>): string {
  const suggestion = didYouMean(word, candidates);
  return suggestion ? ` (did you mean "${suggestion}"?)` : '';
}

/** An enum field's option values, gathered once however many conditions test the field. */
const optionsOfField = new WeakMap<FieldEntry, { values: Set<string>; listed: string }>();
function enumOptions(source: FieldEntry): { values: Set<string>; listed: string } {
  let known = optionsOfField.get(source);
  if (!known) {
    const values = listOf(source.def.options).flatMap((o) => {
      const value = isRecord(o) ? stringOf(o.value) : undefined;
      return value === undefined ? [] : [value];
    });
    known = { values: new Set(values), listed: nameList(values) };
    optionsOfField.set(source, known);
  }
  return known;
}

/** Why a required_when `equals`/`in` value can never match the field it tests, or `undefined` if it can. */
function conditionProblem(source: FieldEntry, test: 'equals' | 'in', value: unknown): string | undefined {
  const values = test === 'in' ? listOf(value) : [value];
  switch (source.type) {
    case 'yes_no':
      if (test === 'in') return 'a yes/no field is tested with "equals: true" or "equals: false"';
      return typeof value === 'boolean' ? undefined : 'a yes/no field can only equal true or false';
    case 'enum': {
      if (source.def.multiple === true)
        return 'a multiple-choice enum field can only be tested with "filled: true"';
      const options = enumOptions(source);
      const unknown = values.filter((v) => typeof v !== 'string' || !options.values.has(v));
      return unknown.length === 0
        ? undefined
        : `${unknown.map((v) => JSON.stringify(v)).join(', ')} is not an option; the options are: ${options.listed}`;
    }
    case 'number':
      return values.every((v) => typeof v === 'number')
        ? undefined
        : 'a number field can only be compared with numbers';
    case 'text':
    case 'long_text':
    case 'date':
    case 'user':
      return values.every((v) => typeof v === 'string')
        ? undefined
        : `a ${source.type} field can only be compared with text`;
    default:
      return `a ${source.type ?? 'typeless'} field can only be tested with "filled: true"`;
  }
}

/** Why a field cannot feed a `maps_to` record, or `undefined` if it fits. */
function mapsToProblem(target: string, type: string | undefined, field: Raw): string | undefined {
  if (target === 'promises') {
    if (type !== 'table') return 'needs a table field (one row per promise)';
    const columns = new Map(
      listOf(field.columns).flatMap((c) =>
        isRecord(c) && typeof c.key === 'string' ? [[c.key, stringOf(c.type)]] : [],
      ),
    );
    const text = columns.get('text');
    const madeBy = columns.get('made_by');
    const inContract = columns.get('in_contract');
    const status = columns.get('status');
    if (text === undefined || !TEXT_TYPES.has(text)) return 'needs a text column "text" (what was promised)';
    if (madeBy === undefined || !['text', 'long_text', 'contact', 'user'].includes(madeBy)) {
      return 'needs a column "made_by" of type text, contact or user (who made the promise)';
    }
    if (inContract !== undefined && inContract !== 'yes_no')
      return 'needs its "in_contract" column to be yes_no';
    if (status !== undefined && status !== 'enum') return 'needs its "status" column to be an enum';
    return undefined;
  }
  if (target === 'scope_in' || target === 'scope_out') {
    return type === 'list' && field.of === 'text'
      ? undefined
      : 'needs a list field with "of: text" (one scope item per entry)';
  }
  if (target === 'contacts') return type === 'contact' ? undefined : 'needs a contact field';
  return type !== undefined && TEXT_TYPES.has(type) ? undefined : 'needs a text or long_text field';
}
