import { type Static, Type } from 'typebox';
import { MAX_REPORTED_ERRORS } from './domain/parse-playbook.js';

/** One error of a playbook document, where it is in the file and in the document. */
export const PlaybookErrorSchema = Type.Object(
  {
    file: Type.String(),
    line: Type.Integer(),
    column: Type.Integer(),
    path: Type.String(),
    message: Type.String(),
  },
  { $id: 'PlaybookError' },
);

export const ErrorCountSchema = Type.Integer({
  minimum: 0,
  description: `How many errors the document has; \`errors\` lists the first ${MAX_REPORTED_ERRORS} by position`,
});

/** What checking a playbook document found, without installing it. */
export const PlaybookValidationSchema = Type.Object(
  {
    valid: Type.Boolean(),
    errors: Type.Array(PlaybookErrorSchema),
    error_count: ErrorCountSchema,
    key: Type.Optional(Type.String()),
    version: Type.Optional(
      Type.Integer({ description: 'The version the document names; absent when it names none' }),
    ),
  },
  { $id: 'PlaybookValidation' },
);

/** What uploading a playbook document did. */
export const PlaybookInstalledSchema = Type.Object(
  {
    id: Type.String(),
    key: Type.String(),
    version: Type.Integer(),
    name: Type.String(),
    installed: Type.Boolean({
      description: 'False when that version already had this very definition, so nothing was written',
    }),
    message: Type.String({ description: 'What happened, in a sentence' }),
  },
  { $id: 'PlaybookInstalled' },
);

export type PlaybookError = Static<typeof PlaybookErrorSchema>;
export type PlaybookValidation = Static<typeof PlaybookValidationSchema>;
export type PlaybookInstalled = Static<typeof PlaybookInstalledSchema>;
