import { type Static, Type } from 'typebox';
import { PlaybookDefinition } from '../playbook-definition-schema.js';
import { SUGGESTION_KINDS, SUGGESTION_THRESHOLDS } from './domain/review-suggestions.js';

/** The longest prompt a draft takes, in characters. */
export const MAX_PROMPT_LENGTH = 500;

const figures = {
  transition: Type.String({ description: 'The transition the field belongs to' }),
  field: Type.String({ description: 'The field, as `section.field`' }),
  reviews: Type.Integer({ minimum: 1, description: 'Follow-up reviews that compared the field' }),
  gaps: Type.Integer({ minimum: 0, description: 'Of those, the reviews that found a gap' }),
  gap_rate: Type.Number({ minimum: 0, maximum: 1, description: 'gaps ÷ reviews' }),
};

export const FieldChangeSchema = Type.Object(
  {
    pointer: Type.String({ description: 'The attribute in the playbook definition, as a JSON pointer' }),
    attribute: Type.Union([Type.Literal('required'), Type.Literal('prompt')]),
    from: Type.Union([Type.Boolean(), Type.String(), Type.Null()], {
      description: 'Its value now (null: none)',
    }),
    to: Type.Union([Type.Boolean(), Type.Null()], {
      description: 'Its value in the draft; null when it is the prompt text the admin writes',
    }),
  },
  { description: 'The exact change the suggestion makes to the definition' },
);

export const SuggestionSchema = Type.Object({
  key: Type.String({ description: 'Stable: `<kind>:<transition>.<section>.<field>`' }),
  kind: Type.Enum(SUGGESTION_KINDS),
  advice: Type.String({ description: 'What to do, in words' }),
  change: FieldChangeSchema,
});

export const ReviewedFieldSchema = Type.Object({
  ...figures,
  label: Type.String({ description: "The field's label" }),
  section_title: Type.String({ description: "Its section's title" }),
  since_version: Type.Integer({
    description:
      'The figures count the reviews of this version and later: the field is defined the same in all of them',
  }),
  suggestion: Type.Union([SuggestionSchema, Type.Null()], {
    description: 'Null when the figures do not cross the thresholds',
  }),
});

export const UnmatchedFieldSchema = Type.Object(figures, {
  description: 'A reviewed field the latest version no longer has: never suggested',
});

export const PlaybookSuggestionsSchema = Type.Object(
  {
    playbook_key: Type.String(),
    version: Type.Integer({ description: 'The latest version: the one the suggestions would change' }),
    thresholds: Type.Object({
      min_reviews: Type.Integer({ description: `${SUGGESTION_THRESHOLDS.minReviews}` }),
      min_gap_rate: Type.Number({ description: `${SUGGESTION_THRESHOLDS.minGapPercent / 100}, inclusive` }),
    }),
    fields: Type.Array(ReviewedFieldSchema, {
      description: 'Reviewed fields of the latest version, worst first',
    }),
    unmatched: Type.Array(UnmatchedFieldSchema),
  },
  { $id: 'PlaybookSuggestions' },
);

export const DraftRequestSchema = Type.Object(
  {
    version: Type.Integer({
      minimum: 1,
      description: 'The version the suggestions were read for; 409 when the playbook has moved on since',
    }),
    prompt: Type.Optional(
      Type.String({
        maxLength: MAX_PROMPT_LENGTH,
        description: 'The prompt text, for `prompt` and `sharpen` suggestions (one line, not blank)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DiffLineSchema = Type.Object({
  op: Type.Union([Type.Literal('same'), Type.Literal('added'), Type.Literal('removed')]),
  text: Type.String(),
  old_line: Type.Optional(Type.Integer({ description: 'Its line in the installed document' })),
  new_line: Type.Optional(Type.Integer({ description: 'Its line in the draft' })),
});

export const PlaybookDraftSchema = Type.Object(
  {
    suggestion_key: Type.String(),
    playbook_key: Type.String(),
    from_version: Type.Integer(),
    version: Type.Integer({ description: 'The version the draft installs as' }),
    source: Type.String({
      description: 'The draft YAML document: install it with `POST /api/v1/playbooks` `{ source }`',
    }),
    definition: PlaybookDefinition,
    change: FieldChangeSchema,
    diff: Type.Array(
      Type.Object({
        old_start: Type.Integer(),
        new_start: Type.Integer(),
        lines: Type.Array(DiffLineSchema),
      }),
      { description: 'The line diff of the installed document and the draft, with 3 lines of context' },
    ),
  },
  { $id: 'PlaybookDraft' },
);

export type PlaybookSuggestions = Static<typeof PlaybookSuggestionsSchema>;
export type PlaybookDraft = Static<typeof PlaybookDraftSchema>;
export type ReviewedFieldView = Static<typeof ReviewedFieldSchema>;
export type DraftRequest = Static<typeof DraftRequestSchema>;
