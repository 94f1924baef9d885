import { type Static, Type } from 'typebox';
import { StringEnum } from '../kernel/http/schemas.js';
import { PacketSchema } from './handoff-schema.js';

/** A submitted revision of a handoff's packet, kept forever. */
export const RevisionSchema = Type.Object(
  {
    number: Type.Integer({ minimum: 1 }),
    packet: PacketSchema,
    submitted_by: Type.String(),
    submitted_at: Type.String(),
  },
  { $id: 'Revision', description: 'The packet as it was submitted, numbered from 1' },
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
