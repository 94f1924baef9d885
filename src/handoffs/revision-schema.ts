import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { PacketSchema } from './handoff-schema.js';

/** A submitted revision of a handoff's packet, kept forever. */
export const RevisionSchema = Type.Object(
  {
    number: Type.Integer({ minimum: 1 }),
    packet: PacketSchema,
    submitted_by: Type.String(),
    submitted_at: Type.String(),
    answering_question_id: Nullable(
      Type.String({
        description:
          'When the sending team made this revision by correcting a field in an answer, the question it answered; null when the packet was submitted',
      }),
    ),
  },
  {
    $id: 'Revision',
    description:
      'The packet as it was submitted (or amended in an answer), numbered from 1; `submitted_by` and `submitted_at` say who made the revision and when',
  },
);

/** The field-by-field differences between two revisions. */
export const RevisionDiffSchema = Type.Object(
  {
    from: Type.Integer(),
    to: Type.Integer(),
    changes: Type.Array(
      Type.Object({
        path: Type.String(),
        field: Type.String(),
        label: Type.String(),
        change: StringEnum(['added', 'removed', 'changed']),
        before: Type.Optional(Type.Unknown()),
        after: Type.Optional(Type.Unknown()),
      }),
    ),
  },
  {
    $id: 'RevisionDiff',
    description: 'What changed between revision `from` and revision `to`, field by field',
  },
);

export type Revision = Static<typeof RevisionSchema>;
export type RevisionDiff = Static<typeof RevisionDiffSchema>;
