import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';

/** A clarifying question on a handoff, asked by the receiving team and answered by the sending team. */
export const QuestionSchema = Type.Object(
  {
    id: Type.String(),
    handoff_id: Type.String(),
    path: Nullable(
      Type.String({
        description: 'The field asked about (/packet/<section>/<field>), or null for the packet',
      }),
    ),
    body: Type.String(),
    revision: Type.Integer({ description: 'The revision the question was asked on' }),
    state: StringEnum(['open', 'answered']),
    asked_by: Type.String(),
    asked_at: Type.String(),
    answer: Nullable(Type.String()),
    answered_by: Nullable(Type.String()),
    answered_at: Nullable(Type.String()),
    amended_revision: Nullable(
      Type.Integer({
        description:
          'When the answer corrected the field asked about, the revision that correction made; null otherwise',
      }),
    ),
  },
  { $id: 'Question', description: 'A clarifying question on the packet or one of its fields' },
);

export type Question = Static<typeof QuestionSchema>;
