import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { checkPlaybookSemantics } from './check-playbook-semantics.js';
import { didYouMean } from './did-you-mean.js';
import { escapeToken, tokens } from './json-pointer.js';
import type {
  CheckpointDef,
  FieldDef,
  FieldType,
  MapsTo,
  Playbook,
  RejectionReason,
  RequiredWhen,
  SectionDef,
  StageDef,
  TransitionDef,
} from './playbook.js';
import { PATTERN_MESSAGES, PLAYBOOK_META_SCHEMA } from './playbook-meta-schema.js';
import { createYamlLocator, type YamlLocator } from './yaml-locator.js';

/** One problem in a playbook document, at a 1-based line and column and a JSON pointer into the YAML. */
export interface PlaybookError {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

/** The outcome of `parsePlaybook`: the compiled playbook, or every error found. */
export type ParseResult = { ok: true; playbook: Playbook } | { ok: false; errors: PlaybookError[] };

interface PendingError {
  path: string;
  message: string;
  /** Where to point in the source; defaults to `path`. */
  at?: string;
  target?: 'key' | 'value';
}

let metaValidator: ValidateFunction | undefined;

/** The compiled meta-schema validator, built on first use. */
function validateStructure(): ValidateFunction {
  metaValidator ??= new Ajv2020({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    verbose: true,
  }).compile(PLAYBOOK_META_SCHEMA);
  return metaValidator;
}

/**
 * Parses and validates a playbook YAML document, reporting every problem at once: YAML syntax errors
 * first (when the text is not valid YAML nothing else can be trusted), otherwise every structural error
 * from the meta-schema and every semantic error (duplicates, unknown references, incompatible
 * attributes), sorted by position.
 *
 * Example: `parsePlaybook(readFileSync(f, 'utf8'), f)` gives `{ ok: true, playbook }` or
 * `{ ok: false, errors: [{ file, line: 12, column: 15, path: '/transitions/0/sections/1/fields/0/type',
 * message: 'must be one of: text, long_text, ...' }] }`.
 */
export function parsePlaybook(source: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locator = createYamlLocator(doc, lineCounter);

  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    const errors = yamlProblems.map((problem) => yamlError(problem, source, file, locator));
    return { ok: false, errors: sortErrors(errors) };
  }

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, path: '', message: `cannot read the document: ${message}` }],
    };
  }

  const pending: PendingError[] = [];
  const validate = validateStructure();
  if (!validate(raw)) pending.push(...(validate.errors ?? []).flatMap(describeStructuralError));
  const lineOf = (path: string) => locator.position(path).line;
  pending.push(...checkPlaybookSemantics(raw, lineOf));

  if (pending.length > 0) {
    const seen = new Set<string>();
    const errors: PlaybookError[] = [];
    for (const problem of pending) {
      const id = `${problem.path}\u0000${problem.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const { line, column } = locator.position(problem.at ?? problem.path, problem.target);
      errors.push({ file, line, column, path: problem.path, message: problem.message });
    }
    return { ok: false, errors: sortErrors(errors) };
  }
  return { ok: true, playbook: compilePlaybook(raw as RawPlaybook) };
}

/** Orders errors by position, keeping discovery order for errors at the same place. */
function sortErrors(errors: PlaybookError[]): PlaybookError[] {
  return errors
    .map((error, index) => ({ error, index }))
    .sort((a, b) => a.error.line - b.error.line || a.error.column - b.error.column || a.index - b.index)
    .map(({ error }) => error);
}

/** Turns a YAML parser error or warning into a located playbook error. */
function yamlError(problem: YAMLError, source: string, file: string, locator: YamlLocator): PlaybookError {
  const offset = problem.pos[0];
  const { line, column } = locator.offsetToPosition(offset);
  const path = locator.pathAt(offset);
  let message = `YAML syntax error: ${problem.message}`;
  if (problem.code === 'DUPLICATE_KEY') {
    // The error's range covers only the key's first character; the path ends with the whole key.
    message = `duplicate key "${tokens(path).at(-1) ?? source.slice(problem.pos[0], problem.pos[1])}" in the same mapping`;
  }
  return { file, line, column, path, message };
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value pairs)',
  null: 'empty',
};

/** Describes a value briefly for "got ..." suffixes. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}

/** Translates one meta-schema error into plain words. */
function describeStructuralError(error: ErrorObject): PendingError[] {
  const path = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return [
        { path: `${path}/${escapeToken(missing)}`, at: path, message: `missing required key "${missing}"` },
      ];
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const allowed = Object.keys(
        (error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {},
      );
      const hint = didYouMean(extra, allowed);
      return [
        {
          path: `${path}/${escapeToken(extra)}`,
          target: 'key',
          message: `unknown key "${extra}"${hint ? ` (did you mean "${hint}"?)` : ''}; allowed keys are: ${allowed.join(', ')}`,
        },
      ];
    }
    case 'type': {
      const expected = String(params.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ');
      return [{ path, message: `must be ${expected}, got ${describeValue(error.data)}` }];
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined;
      return [
        {
          path,
          message: `must be one of: ${allowed.join(', ')}; got ${describeValue(error.data)}${hint ? ` (did you mean "${hint}"?)` : ''}`,
        },
      ];
    }
    case 'const':
      return [
        { path, message: `must be ${JSON.stringify(params.allowedValue)}, got ${describeValue(error.data)}` },
      ];
    case 'pattern': {
      const pattern = String(params.pattern);
      const explained = PATTERN_MESSAGES[pattern] ?? `must match the pattern ${pattern}`;
      return [{ path, message: `${explained}, got ${describeValue(error.data)}` }];
    }
    case 'minItems':
      return [
        {
          path,
          message: `must have at least ${String(params.limit)} ${Number(params.limit) === 1 ? 'entry' : 'entries'}`,
        },
      ];
    case 'minimum':
      return [
        { path, message: `must be at least ${String(params.limit)}, got ${describeValue(error.data)}` },
      ];
    case 'minLength':
      return [{ path, message: 'must not be empty' }];
    case 'minProperties':
    case 'maxProperties': {
      const limit = Number(params.limit);
      const bound = error.keyword === 'minProperties' ? 'at least' : 'at most';
      return [{ path, message: `must have ${bound} ${limit} ${limit === 1 ? 'key' : 'keys'}` }];
    }
    default:
      return [{ path, message: error.message ?? `fails the "${error.keyword}" rule` }];
  }
}

// The shapes below are what the meta-schema and the semantic checks guarantee by the time we compile.
interface RawField {
  key: string;
  type: FieldType;
  label: string;
  help?: string;
  prompt?: string;
  placeholder?: string;
  required?: boolean;
  required_when?: {
    field: string;
    equals?: string | number | boolean;
    in?: (string | number)[];
    filled?: true;
  };
  options?: { value: string; label: string }[];
  multiple?: boolean;
  of?: 'text' | 'number' | 'date';
  columns?: RawField[];
  items?: { key: string; label: string }[];
  min?: number;
  max?: number;
  integer?: boolean;
  max_length?: number;
  min_items?: number;
  max_items?: number;
  currency?: string;
  contact_role?: string;
  team?: string;
  maps_to?: MapsTo;
}
interface RawSection {
  key: string;
  title: string;
  help?: string;
  fields: RawField[];
}
interface RawTransition {
  key: string;
  name: string;
  description?: string;
  from: string;
  to: string;
  sender_team: string;
  receiver_team: string;
  sections: RawSection[];
  rejection_reasons: RejectionReason[];
  checkpoints?: RawCheckpoint[];
}
interface RawCheckpoint {
  key: string;
  name: string;
  description?: string;
  due?: string;
  kind?: CheckpointDef['kind'];
  owner?: string;
  escalate_to?: { role?: string; team?: string };
  required_attendees?: string[];
  script?: { key: string; question: string }[];
  compare?: string[];
  gap_categories?: string[];
  completed_by?: string[];
}
interface RawPlaybook {
  key: string;
  version: number;
  name: string;
  description?: string;
  stages: StageDef[];
  transitions: RawTransition[];
}

/** Copies only the keys whose value is defined, so compiled objects carry no `undefined` properties. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Converts a validated raw document to the camelCase compiled form. */
function compilePlaybook(raw: RawPlaybook): Playbook {
  return defined({
    key: raw.key,
    version: raw.version,
    name: raw.name,
    description: raw.description,
    stages: raw.stages.map((s) => defined({ key: s.key, name: s.name, description: s.description })),
    transitions: raw.transitions.map(compileTransition),
  });
}

/** Compiles one transition. */
function compileTransition(raw: RawTransition): TransitionDef {
  return defined({
    key: raw.key,
    name: raw.name,
    description: raw.description,
    from: raw.from,
    to: raw.to,
    senderTeam: raw.sender_team,
    receiverTeam: raw.receiver_team,
    sections: raw.sections.map(
      (s): SectionDef =>
        defined({ key: s.key, title: s.title, help: s.help, fields: s.fields.map(compileField) }),
    ),
    rejectionReasons: raw.rejection_reasons.map((r) =>
      defined({ code: r.code, label: r.label, description: r.description }),
    ),
    checkpoints: (raw.checkpoints ?? []).map(
      (c): CheckpointDef =>
        defined({
          key: c.key,
          name: c.name,
          description: c.description,
          due: c.due,
          kind: c.kind,
          owner: c.owner,
          escalateTo: c.escalate_to
            ? defined({ role: c.escalate_to.role, team: c.escalate_to.team })
            : undefined,
          requiredAttendees: c.required_attendees ? [...c.required_attendees] : undefined,
          script: c.script?.map((q) => ({ key: q.key, question: q.question })),
          compare: c.compare ? [...c.compare] : undefined,
          gapCategories: c.gap_categories ? [...c.gap_categories] : undefined,
          completedBy: c.completed_by ? [...c.completed_by] : undefined,
        }),
    ),
  });
}

/** Compiles one field or column. */
function compileField(raw: RawField): FieldDef {
  const when = raw.required_when;
  const requiredWhen: RequiredWhen | undefined = when
    ? defined({
        field: when.field,
        equals: when.equals,
        in: when.in ? [...when.in] : undefined,
        filled: when.filled,
      })
    : undefined;
  return defined({
    key: raw.key,
    type: raw.type,
    label: raw.label,
    help: raw.help,
    prompt: raw.prompt,
    placeholder: raw.placeholder,
    required: raw.required === true,
    requiredWhen,
    options: raw.options?.map((o) => ({ value: o.value, label: o.label })),
    multiple: raw.multiple,
    of: raw.of,
    columns: raw.columns?.map(compileField),
    items: raw.items?.map((i) => ({ key: i.key, label: i.label })),
    min: raw.min,
    max: raw.max,
    integer: raw.integer,
    maxLength: raw.max_length,
    minItems: raw.min_items,
    maxItems: raw.max_items,
    currency: raw.currency,
    contactRole: raw.contact_role,
    team: raw.team,
    mapsTo: raw.maps_to,
  });
}
