import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument } from 'yaml';
import type { PlaybookDefinition } from '../playbook-definition-schema.js';
import { checkPlaybookSemantics } from './check-playbook-semantics.js';
import { playbookFromDefinition } from './definition-mapping.js';
import { didYouMean } from './did-you-mean.js';
import { escapeToken } from './json-pointer.js';
import type { Playbook } from './playbook.js';
import { PATTERN_MESSAGES, PLAYBOOK_META_SCHEMA } from './playbook-meta-schema.js';
import { type VersionSlot, versionSlot } from './version-slot.js';
import { indexYamlDocument, type YamlLocator, type YamlStructureProblem } from './yaml-locator.js';
import { plainValue } from './yaml-values.js';

/** One problem in a playbook document, at a 1-based line and column and a JSON pointer into the YAML. */
export interface PlaybookError {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

/** At most this many problems are reported, the first by position; `errorCount` tells them all. */
export const MAX_REPORTED_ERRORS = 100;
/** A message quoting a long value from the document is cut to this many characters. */
const MAX_MESSAGE_LENGTH = 1000;

/**
 * The outcome of `parsePlaybook`: the compiled playbook, or the first `MAX_REPORTED_ERRORS` errors
 * by position and how many there are in all.
 *
 * A document may leave out `version`: its playbook then has version 0 until it is installed as the
 * next version of its key, and `versionSlot` says where the version line goes in its source.
 */
export type ParseResult =
  | { ok: true; playbook: Playbook; versionSlot?: VersionSlot }
  | { ok: false; errors: PlaybookError[]; errorCount: number };

interface PendingError {
  path: string;
  message: string;
  /** The rest of the message, worked out only if the error is reported. */
  detail?: () => string;
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
  }).compile(withDefinitionsInlined(PLAYBOOK_META_SCHEMA));
  return metaValidator;
}

/**
 * The schema with every `$ref` to `#/$defs/...` replaced by the definition itself. Ajv gathers the
 * errors of a referenced schema with `concat`, copying all errors so far at every list entry, which
 * is quadratic in a document with thousands of bad entries; inline schemas add theirs one by one.
 * The definitions do not refer to themselves, so this ends.
 */
function withDefinitionsInlined(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { $defs, ...root } = schema as { $defs: Record<string, unknown> };
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (typeof node !== 'object' || node === null) return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) return inline($defs[ref.slice(8)]);
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(value)]));
  };
  return inline(root) as Record<string, unknown>;
}

/**
 * Parses and validates a playbook YAML document, finding every problem at once: YAML syntax errors,
 * duplicate keys and bad aliases first (when the text is not sound YAML nothing else can be
 * trusted), otherwise every structural error from the meta-schema and every semantic error
 * (duplicates, unknown references, incompatible attributes). The first `MAX_REPORTED_ERRORS` by
 * position are reported, with the count of all.
 *
 * The work grows in proportion to the document: the document is indexed once, so each error is
 * placed by following its path, and the costly parts of messages (suggestions, lists of names) are
 * worked out only for the errors reported.
 *
 * Example: `parsePlaybook(readFileSync(f, 'utf8'), f)` gives `{ ok: true, playbook }` or
 * `{ ok: false, errorCount: 1, errors: [{ file, line: 12, column: 15, path:
 * '/transitions/0/sections/1/fields/0/type', message: 'must be one of: text, long_text, ...' }] }`.
 */
export function parsePlaybook(source: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const { locator, problems } = indexYamlDocument(doc, lineCounter);

  const yamlProblems: YamlStructureProblem[] = [];
  for (const problem of [...doc.errors, ...doc.warnings]) {
    yamlProblems.push({ offset: problem.pos[0], message: `YAML syntax error: ${problem.message}` });
  }
  yamlProblems.push(...problems);
  if (yamlProblems.length > 0) return reportYamlProblems(yamlProblems, file, locator);

  const converted = plainValue(doc, locator);
  if (!converted.ok) return reportYamlProblems([converted.problem], file, locator);
  const raw = converted.value;

  const pending: PendingError[] = [];
  const validate = validateStructure();
  if (!validate(raw)) pending.push(...(validate.errors ?? []).flatMap(describeStructuralError));
  const lineOf = (path: string) => locator.position(path).line;
  pending.push(...checkPlaybookSemantics(raw, lineOf));
  if (pending.length > 0) return reportErrors(pending, file, locator);

  // The meta-schema and the semantic checks have made sure of the definition's shape.
  const playbook = playbookFromDefinition(raw as PlaybookDefinition);
  if (playbook.version !== 0) return { ok: true, playbook };
  return { ok: true, playbook, versionSlot: versionSlot(source, doc, locator) };
}

/** The reported part of an error list: the first by position, and the count of all. */
function firstErrors<T>(
  errors: T[],
  compare: (a: T, b: T) => number,
  render: (error: T) => PlaybookError,
): ParseResult {
  const sorted = errors
    .map((error, index) => ({ error, index }))
    .sort((a, b) => compare(a.error, b.error) || a.index - b.index);
  const reported = sorted.slice(0, MAX_REPORTED_ERRORS).map(({ error }) => {
    const rendered = render(error);
    if (rendered.message.length > MAX_MESSAGE_LENGTH)
      rendered.message = `${rendered.message.slice(0, MAX_MESSAGE_LENGTH - 3)}...`;
    return rendered;
  });
  return { ok: false, errors: reported, errorCount: errors.length };
}

/** YAML-level problems, ordered by where they occur; only the reported ones are given a path. */
function reportYamlProblems(
  problems: YamlStructureProblem[],
  file: string,
  locator: YamlLocator,
): ParseResult {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const id = `${p.offset}\u0000${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return firstErrors(
    unique,
    (a, b) => a.offset - b.offset,
    (problem) => ({
      file,
      ...locator.offsetToPosition(problem.offset),
      path: locator.pathAt(problem.offset),
      message: problem.message,
    }),
  );
}

/** Structural and semantic errors, placed by their paths and ordered by position. */
function reportErrors(pending: PendingError[], file: string, locator: YamlLocator): ParseResult {
  const seen = new Set<string>();
  const placed: { problem: PendingError; line: number; column: number }[] = [];
  for (const problem of pending) {
    const id = `${problem.path}\u0000${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    placed.push({ problem, ...locator.position(problem.at ?? problem.path, problem.target) });
  }
  return firstErrors(
    placed,
    (a, b) => a.line - b.line || a.column - b.column,
    ({ problem, line, column }) => ({
      file,
      line,
      column,
      path: problem.path,
      message: problem.message + (problem.detail?.() ?? ''),
    }),
  );
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

/** ` (did you mean "…"?)` when a candidate is close to `word`, else nothing. */
function hint(word: string, candidates: readonly string[]): string {
  const suggestion = didYouMean(word, candidates);
  return suggestion ? ` (did you mean "${suggestion}"?)` : '';
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
      return [
        {
          path: `${path}/${escapeToken(extra)}`,
          target: 'key',
          message: `unknown key "${extra}"`,
          detail: () => {
            const allowed = Object.keys(
              (error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {},
            );
            return `${hint(extra, allowed)}; allowed keys are: ${allowed.join(', ')}`;
          },
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
      const data = error.data;
      return [
        {
          path,
          message: `must be one of: ${allowed.join(', ')}; got ${describeValue(data)}`,
          detail: () => (typeof data === 'string' ? hint(data, allowed) : ''),
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
