import { canonicalJson } from '../../../kernel/canonical-json.js';
import { pointer } from '../../domain/json-pointer.js';
import type { FieldDef, Playbook } from '../../domain/playbook.js';

/**
 * When the 72-hour reviews say a field of a playbook should be sharpened (docs/metrics.md,
 * "Playbook suggestions"): a field compared in at least `minReviews` follow-up reviews since it
 * took its current form, of which at least `minGapPercent` per cent found a gap between what the
 * packet said and what the receiving team experienced. Both bounds are inclusive. Fewer reviews
 * say too little to act on; below the rate, gaps are the ordinary noise of a handoff.
 */
export const SUGGESTION_THRESHOLDS = { minReviews: 5, minGapPercent: 30 } as const;

/** What to do about a field the reviews keep finding gaps in. */
export const SUGGESTION_KINDS = ['require', 'prompt', 'sharpen'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

/** The review figures of one field in one installed version: how many reviews compared it, how many found a gap. */
export interface GapFigure {
  transition: string;
  /** `section.field`, as the review's comparison names it. */
  field: string;
  version: number;
  reviews: number;
  gaps: number;
}

/**
 * The one attribute of one field a suggestion changes: `required` to true, or `prompt` to the text
 * the admin writes (`to: null`: no text is made up for them). `pointer` is the attribute's place in
 * the playbook definition (`/transitions/0/sections/1/fields/0/prompt`).
 */
export interface FieldChange {
  pointer: string;
  attribute: 'required' | 'prompt';
  from: boolean | string | null;
  to: boolean | null;
}

export interface Suggestion {
  /** Stable for the field and the kind: `require:sales-to-delivery.promises.promises`. */
  key: string;
  kind: SuggestionKind;
  /** What to do, in words. */
  advice: string;
  change: FieldChange;
}

/** A field of the latest version and what its reviews found since it took its current form. */
export interface ReviewedField {
  transition: string;
  field: string;
  label: string;
  sectionTitle: string;
  reviews: number;
  gaps: number;
  /** gaps ÷ reviews, 0–1. */
  gapRate: number;
  /** The first version of the run, ending at the latest, in which the field is defined as it is now. */
  sinceVersion: number;
  suggestion: Suggestion | null;
}

/** Reviewed fields that the latest version no longer has (renamed, moved or removed): never suggested. */
export interface UnmatchedField {
  transition: string;
  field: string;
  reviews: number;
  gaps: number;
  gapRate: number;
}

export interface PlaybookSuggestions {
  /** The latest version, which the suggestions change. */
  version: number;
  /** Fields with at least one review, worst first. */
  fields: ReviewedField[];
  unmatched: UnmatchedField[];
}

/** Whether figures cross both thresholds (integer arithmetic: 3 of 10 is exactly 30%). */
export function crossesThresholds(reviews: number, gaps: number): boolean {
  return (
    reviews >= SUGGESTION_THRESHOLDS.minReviews && gaps * 100 >= SUGGESTION_THRESHOLDS.minGapPercent * reviews
  );
}

/**
 * The suggestion for a field whose figures cross the thresholds: make an optional field required;
 * give a required field without a prompt one (its help text says what the field is; a prompt is the
 * question that draws the answer out); else sharpen its prompt. A field required under a condition
 * (`required_when`) counts as required: making it always required would drop its condition.
 */
export function kindFor(field: FieldDef): SuggestionKind {
  if (!field.required && !field.requiredWhen) return 'require';
  return field.prompt === undefined ? 'prompt' : 'sharpen';
}

const ADVICE: Record<SuggestionKind, string> = {
  require: 'Make it required',
  prompt: 'Add a prompt',
  sharpen: 'Sharpen the prompt',
};

/** Where a field is in a playbook, by transition key and `section.field`. */
export interface FieldPlace {
  transitionIndex: number;
  sectionIndex: number;
  fieldIndex: number;
  def: FieldDef;
  sectionTitle: string;
}

export function findField(playbook: Playbook, transition: string, field: string): FieldPlace | undefined {
  const [sectionKey, fieldKey, ...rest] = field.split('.');
  if (rest.length > 0 || !fieldKey) return undefined;
  const transitionIndex = playbook.transitions.findIndex((t) => t.key === transition);
  const sections = playbook.transitions[transitionIndex]?.sections ?? [];
  const sectionIndex = sections.findIndex((s) => s.key === sectionKey);
  const fields = sections[sectionIndex]?.fields ?? [];
  const fieldIndex = fields.findIndex((f) => f.key === fieldKey);
  const def = fields[fieldIndex];
  if (!def) return undefined;
  return { transitionIndex, sectionIndex, fieldIndex, def, sectionTitle: sections[sectionIndex]!.title };
}

/** The suggestion of a kind for a field, with the exact change it makes to the definition. */
export function suggestionOf(
  kind: SuggestionKind,
  transition: string,
  field: string,
  place: FieldPlace,
): Suggestion {
  const attribute = kind === 'require' ? 'required' : 'prompt';
  const at = pointer([
    'transitions',
    place.transitionIndex,
    'sections',
    place.sectionIndex,
    'fields',
    place.fieldIndex,
    attribute,
  ]);
  const change: FieldChange =
    kind === 'require'
      ? { pointer: at, attribute, from: false, to: true }
      : { pointer: at, attribute, from: place.def.prompt ?? null, to: null };
  return { key: `${kind}:${transition}.${field}`, kind, advice: ADVICE[kind], change };
}

/** Splits a suggestion key into its kind, transition and `section.field`; undefined when malformed. */
export function parseSuggestionKey(
  key: string,
): { kind: SuggestionKind; transition: string; field: string } | undefined {
  const match = /^(require|prompt|sharpen):([a-z][a-z0-9-]*)\.([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)$/.exec(key);
  if (!match) return undefined;
  return { kind: match[1] as SuggestionKind, transition: match[2]!, field: match[3]! };
}

const rate = (reviews: number, gaps: number) => (reviews === 0 ? 0 : gaps / reviews);
const sameForm = (a: FieldDef | undefined, b: FieldDef) =>
  a !== undefined && canonicalJson(a) === canonicalJson(b);

/**
 * The suggestions for the latest of a playbook's versions, from the review figures of all of them.
 * A field's figures count the reviews of the versions since it took its current form (the run of
 * versions, ending at the latest, in which it is defined identically), so installing a suggestion
 * starts its field's count afresh while a change elsewhere in the playbook does not. Figures of
 * fields the latest version does not have are listed as unmatched, over every version.
 */
export function suggestionsFor(
  versions: readonly Playbook[],
  figures: readonly GapFigure[],
): PlaybookSuggestions {
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  const latest = ordered.at(-1);
  if (!latest) return { version: 0, fields: [], unmatched: [] };
  const totals = new Map<
    string,
    { transition: string; field: string; byVersion: Map<number, [number, number]> }
  >();
  for (const f of figures) {
    const id = `${f.transition}\u0000${f.field}`;
    const entry = totals.get(id) ?? { transition: f.transition, field: f.field, byVersion: new Map() };
    const [r, g] = entry.byVersion.get(f.version) ?? [0, 0];
    entry.byVersion.set(f.version, [r + f.reviews, g + f.gaps]);
    totals.set(id, entry);
  }
  const fields: ReviewedField[] = [];
  const unmatched: UnmatchedField[] = [];
  for (const { transition, field, byVersion } of totals.values()) {
    const place = findField(latest, transition, field);
    if (!place) {
      let reviews = 0;
      let gaps = 0;
      for (const [r, g] of byVersion.values()) {
        reviews += r;
        gaps += g;
      }
      unmatched.push({ transition, field, reviews, gaps, gapRate: rate(reviews, gaps) });
      continue;
    }
    let sinceVersion = latest.version;
    for (let i = ordered.length - 2; i >= 0; i--) {
      const earlier = ordered[i]!;
      if (!sameForm(findField(earlier, transition, field)?.def, place.def)) break;
      sinceVersion = earlier.version;
    }
    let reviews = 0;
    let gaps = 0;
    for (const [version, [r, g]] of byVersion) {
      if (version < sinceVersion || version > latest.version) continue;
      reviews += r;
      gaps += g;
    }
    if (reviews === 0) continue;
    fields.push({
      transition,
      field,
      label: place.def.label,
      sectionTitle: place.sectionTitle,
      reviews,
      gaps,
      gapRate: rate(reviews, gaps),
      sinceVersion,
      suggestion: crossesThresholds(reviews, gaps)
        ? suggestionOf(kindFor(place.def), transition, field, place)
        : null,
    });
  }
  const worstFirst = (a: UnmatchedField, b: UnmatchedField) =>
    b.gaps * a.reviews - a.gaps * b.reviews ||
    b.reviews - a.reviews ||
    a.transition.localeCompare(b.transition) ||
    a.field.localeCompare(b.field);
  fields.sort(worstFirst);
  unmatched.sort(worstFirst);
  return { version: latest.version, fields, unmatched };
}

/**
 * The next version's playbook: `playbook` with the suggestion's change made (the prompt the admin
 * wrote for `prompt` and `sharpen`), numbered one above it. Pure: `playbook` is left as it was.
 */
export function withChange(playbook: Playbook, suggestion: Suggestion, prompt?: string): Playbook {
  const parsed = parseSuggestionKey(suggestion.key);
  const next = structuredClone(playbook);
  const place = parsed && findField(next, parsed.transition, parsed.field);
  if (!place) throw new Error(`${suggestion.key} names no field of ${playbook.key}`);
  if (suggestion.kind === 'require') place.def.required = true;
  else {
    if (prompt === undefined) throw new Error(`${suggestion.key} needs the prompt text`);
    place.def.prompt = prompt;
  }
  next.version = playbook.version + 1;
  return next;
}
