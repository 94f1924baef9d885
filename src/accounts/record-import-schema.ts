import { type Static, Type } from 'typebox';
import { StringEnum } from '../kernel/http/schemas.js';
import { IMPORT_KINDS } from './domain/import-headers.js';

/** What an import of a CSV file of accounts, contacts or engagements did. */
export const RecordImportSchema = Type.Object(
  {
    kind: StringEnum(IMPORT_KINDS),
    rows: Type.Integer({ description: 'Rows read from the file' }),
    created: Type.Integer({ description: 'Records created' }),
    updated: Type.Integer({ description: 'Records found (by id, external id or name) and changed' }),
    unchanged: Type.Integer({ description: 'Records found as the file describes them already' }),
    accounts_created: Type.Integer({
      description: 'Accounts a contact or engagement row named and none matched, created',
    }),
  },
  { $id: 'RecordImport', description: 'What an import of a CSV file did' },
);

export type RecordImport = Static<typeof RecordImportSchema>;
