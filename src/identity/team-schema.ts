import { type Static, Type } from 'typebox';

/** A team, as a record naming it shows it. */
export const TeamRefSchema = Type.Object(
  { id: Type.String(), key: Type.String(), name: Type.String() },
  { $id: 'TeamRef', description: 'A team, as a record naming it shows it' },
);

/** A team of the organisation: playbooks name teams by key as sender and receiver. */
export const TeamSchema = Type.Object(
  { ...TeamRefSchema.properties, members: Type.Integer() },
  { $id: 'Team', description: 'A team of the organisation, with how many members it has' },
);

export type TeamRef = Static<typeof TeamRefSchema>;
export type Team = Static<typeof TeamSchema>;
