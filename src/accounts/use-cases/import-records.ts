import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { insertRows } from '../../kernel/batch-writes.js';
import { type Db, type Deps, inTransaction } from '../../kernel/context.js';
import { csvRefusal, readCsv } from '../../kernel/csv/read-csv.js';
import type { ErrorDetail } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { isId, newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import {
  type AccountRef,
  type ImportKind,
  type ImportValues,
  mapImportHeader,
} from '../domain/import-headers.js';
import type { RecordImport } from '../record-import-schema.js';
import { type RecordType, storeExternalIds } from './external-id-records.js';

/** The most rows one file may hold: a bound on the memory an import holds before it writes. */
export const MAX_RECORD_IMPORT_ROWS = 50_000;
/** Rows written between two returns to the event loop. */
const ROWS_PER_WRITE = 1_000;

/** What an import did: rows read, records created, changed and found as they were. */
export type ImportOutcome = RecordImport;

const TABLE = { accounts: 'accounts', contacts: 'contacts', engagements: 'engagements' } as const;
const TYPE: Record<ImportKind, RecordType> = {
  accounts: 'account',
  contacts: 'contact',
  engagements: 'engagement',
};
/** The fields an import may set, per kind (as columns of the table). */
const FIELDS: Record<ImportKind, readonly string[]> = {
  accounts: ['name', 'notes'],
  contacts: ['name', 'email', 'phone', 'title', 'role'],
  engagements: ['name', 'stage', 'contract_signed_at'],
};

type Row = Record<string, unknown> & { id: string; account_id?: string; name: string; external_ids: string };

/**
 * Imports accounts, contacts or engagements from a CSV file, all or nothing. The file is read as
 * it streams in (`readCsv`), each row mapped through the header dictionary (`mapImportHeader`) and
 * checked; then, in one transaction opened after the upload ends, each row is matched to the
 * record it describes: by Baton id, else by any of its external ids (`record_external_ids`), else
 * by name (accounts), e-mail or name within the account (contacts), name within the account
 * (engagements). A match is updated with the fields the file has columns for (external ids are
 * added, never removed), only when something changed; a row without a match is created. The
 * account of a contact or an engagement is found the same way (by id, external id or name); an
 * account named but not found is created, an account id that matches nothing is refused. So a
 * re-import changes nothing. Any bad row refuses the file: the 422 names every bad line and why
 * (two rows describing one record included), and nothing is written. Publishes
 * `records.imported` with the counts.
 *
 * @example
 *   await importRecords(deps, principal, 'accounts', Readable.from(['Name\nAcme\n']))
 *   // { kind: 'accounts', rows: 1, created: 1, updated: 0, unchanged: 0, accounts_created: 0 }
 */
export async function importRecords(
  deps: Deps,
  principal: Principal,
  kind: ImportKind,
  source: NodeJS.ReadableStream | AsyncIterable<string | Buffer>,
  options: { maxRows?: number; onProgress?: (p: { rows: number; bytes: number }) => void } = {},
): Promise<ImportOutcome> {
  checkRecordImport(principal);
  const read = await readCsv<ImportValues>(source, {
    header: (cells) => mapImportHeader(kind, cells, isId),
    maxRows: options.maxRows ?? MAX_RECORD_IMPORT_ROWS,
    noun: kind,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (read.issues.length) throw csvRefusal(read.issues);
  const rows = read.rows;
  const now = deps.clock.now().toISOString();
  return inTransaction(deps, async (trx) => {
    const orgId = principal.orgId;
    const issues: ErrorDetail[] = [];
    // The account of each contact or engagement; accounts named but not found are made.
    const newAccounts: Row[] = [];
    const accountOf = new Map<number, string>();
    if (kind !== 'accounts') {
      const accounts = await indexOf(trx, orgId, 'accounts');
      for (const { line, value } of rows) {
        const id = findAccount(accounts, value.account!);
        if (id) accountOf.set(line, id);
        else if (value.account!.by === 'name') {
          const made = account(orgId, value.account!.name, now);
          newAccounts.push(made);
          accounts.byName.set(nameKey(made.name), made);
          accountOf.set(line, made.id);
        } else
          issues.push({
            path: `/rows/${line}/account`,
            line,
            message: `line ${line}: account ${value.account!.id} is no account of this organisation (by Baton id or an id of another system); import the accounts first`,
          });
      }
    }
    const existing = await indexOf(trx, orgId, TABLE[kind]);
    const claimed = new Map<string, number>();
    const inserts: Row[] = [];
    const updates: { row: Row; patch: Record<string, unknown>; ids: Record<string, string> | null }[] = [];
    let unchanged = 0;
    for (const { line, value } of rows) {
      const accountId = accountOf.get(line);
      const keys = keysOf(kind, value, accountId);
      const twin = keys.map((k) => claimed.get(k)).find((l) => l !== undefined);
      if (twin !== undefined) {
        issues.push({
          path: `/rows/${line}`,
          line,
          message: `line ${line} describes the same ${TYPE[kind]} as line ${twin} (same id, external id${kind === 'contacts' ? ', e-mail' : ''} or name)`,
        });
        continue;
      }
      for (const k of keys) claimed.set(k, line);
      const match = matchOf(existing, kind, value, accountId);
      if (!match) {
        inserts.push(newRecord(kind, orgId, value, accountId, now));
        continue;
      }
      const patch: Record<string, unknown> = {};
      for (const field of FIELDS[kind]) {
        const given = (value.fields as Record<string, unknown>)[field];
        if (given !== undefined && given !== match[field]) patch[field] = given;
      }
      if (accountId !== undefined && accountId !== match.account_id) patch.account_id = accountId;
      const before = JSON.parse(match.external_ids) as Record<string, string>;
      const merged = { ...before, ...value.externalIds };
      const idsChanged = Object.keys(merged).some((k) => merged[k] !== before[k]);
      if (idsChanged) patch.external_ids = JSON.stringify(merged);
      if (Object.keys(patch).length === 0) unchanged++;
      else updates.push({ row: match, patch, ids: idsChanged ? merged : null });
    }
    if (issues.length) throw csvRefusal(issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));

    await writeAll(trx, 'accounts', 'account', orgId, newAccounts);
    await writeAll(trx, TABLE[kind], TYPE[kind], orgId, inserts);
    for (const [i, { row, patch, ids }] of updates.entries()) {
      await trx
        .updateTable(TABLE[kind] as 'accounts')
        .set({ ...patch, updated_at: now } as never)
        .where('org_id', '=', orgId)
        .where('id', '=', row.id)
        .execute();
      if (ids) await storeExternalIds(trx, { orgId, type: TYPE[kind], id: row.id }, ids, true);
      if (i % ROWS_PER_WRITE === ROWS_PER_WRITE - 1) await yieldToEventLoop();
    }
    const outcome: ImportOutcome = {
      kind,
      rows: rows.length,
      created: inserts.length,
      updated: updates.length,
      unchanged,
      accounts_created: newAccounts.length,
    };
    await publish(trx, {
      type: 'records.imported',
      orgId,
      actor: { type: 'user', id: principal.userId },
      at: new Date(now),
      importId: newId(),
      ...outcome,
      bytes: read.bytes,
    });
    return outcome;
  });
}

/** What an import checks before it reads a byte: the caller's role. The route checks it before the upload, too. */
export function checkRecordImport(principal: Principal): void {
  requireCapability(principal, 'write_records', 'import accounts, contacts and engagements');
}

/** The organisation's records of one table, findable by id, external id and natural key. */
interface RecordIndex {
  byId: Map<string, Row>;
  byExternal: Map<string, Row>;
  byName: Map<string, Row>;
  byEmail: Map<string, Row>;
}

const nameKey = (name: string) => name.trim().toLocaleLowerCase('en');

async function indexOf(
  db: Db,
  orgId: string,
  table: 'accounts' | 'contacts' | 'engagements',
): Promise<RecordIndex> {
  const rows = (await db
    .selectFrom(table)
    .selectAll()
    .where('org_id', '=', orgId)
    .execute()) as unknown as Row[];
  const index: RecordIndex = {
    byId: new Map(),
    byExternal: new Map(),
    byName: new Map(),
    byEmail: new Map(),
  };
  for (const row of rows) {
    index.byId.set(row.id, row);
    const scope = row.account_id === undefined ? '' : `${row.account_id}|`;
    if (!index.byName.has(scope + nameKey(row.name))) index.byName.set(scope + nameKey(row.name), row);
    if (typeof row.email === 'string' && !index.byEmail.has(row.email)) index.byEmail.set(row.email, row);
    for (const [system, id] of Object.entries(JSON.parse(row.external_ids) as Record<string, string>)) {
      if (!index.byExternal.has(`${system}:${id}`)) index.byExternal.set(`${system}:${id}`, row);
      if (!index.byExternal.has(`*:${id}`)) index.byExternal.set(`*:${id}`, row);
    }
  }
  return index;
}

function findAccount(accounts: RecordIndex, ref: AccountRef): string | undefined {
  if (ref.by === 'id') return accounts.byId.get(ref.id)?.id;
  if (ref.by === 'external') return accounts.byExternal.get(`*:${ref.id}`)?.id;
  return accounts.byName.get(nameKey(ref.name))?.id;
}

/** The keys a row claims in the file: two rows claiming one describe one record. */
function keysOf(kind: ImportKind, value: ImportValues, accountId: string | undefined): string[] {
  const keys = Object.entries(value.externalIds).map(([s, id]) => `x:${s}:${id}`);
  if (value.id) keys.push(`id:${value.id}`);
  if (kind === 'contacts' && value.fields.email) keys.push(`e:${value.fields.email}`);
  else if (value.fields.name) keys.push(`n:${accountId ?? ''}|${nameKey(value.fields.name)}`);
  return keys;
}

function matchOf(
  index: RecordIndex,
  kind: ImportKind,
  value: ImportValues,
  accountId: string | undefined,
): Row | undefined {
  if (value.id && index.byId.has(value.id)) return index.byId.get(value.id);
  for (const [system, id] of Object.entries(value.externalIds)) {
    const found = index.byExternal.get(`${system}:${id}`);
    if (found) return found;
  }
  if (kind === 'contacts' && value.fields.email) {
    const found = index.byEmail.get(value.fields.email);
    if (found) return found;
  }
  if (!value.fields.name) return undefined;
  return index.byName.get(`${kind === 'accounts' ? '' : `${accountId}|`}${nameKey(value.fields.name)}`);
}

function account(orgId: string, name: string, now: string): Row {
  return {
    id: newId(),
    org_id: orgId,
    name,
    external_ids: '{}',
    notes: null,
    created_at: now,
    updated_at: now,
  };
}

function newRecord(
  kind: ImportKind,
  orgId: string,
  value: ImportValues,
  accountId: string | undefined,
  now: string,
): Row {
  const f = value.fields;
  const base = {
    id: newId(),
    org_id: orgId,
    name: f.name ?? '',
    external_ids: JSON.stringify(value.externalIds),
    created_at: now,
    updated_at: now,
  };
  if (kind === 'accounts') return { ...base, notes: f.notes ?? null };
  if (kind === 'contacts')
    return {
      ...base,
      account_id: accountId!,
      email: f.email ?? null,
      phone: f.phone ?? null,
      title: f.title ?? null,
      role: f.role ?? 'other',
    };
  return {
    ...base,
    account_id: accountId!,
    stage: f.stage ?? null,
    owner_user_id: null,
    contract_signed_at: f.contract_signed_at ?? null,
    service_lead_user_id: null,
    service_lead_introduced_at: null,
    closed_out_at: null,
    closed_out_by: null,
  };
}

/** Inserts the records and their external-id rows, a thousand at a time, yielding between. */
async function writeAll(
  trx: Db,
  table: 'accounts' | 'contacts' | 'engagements',
  type: RecordType,
  orgId: string,
  records: readonly Row[],
): Promise<void> {
  for (let i = 0; i < records.length; i += ROWS_PER_WRITE) {
    const chunk = records.slice(i, i + ROWS_PER_WRITE);
    await insertRows(trx, table, chunk as never);
    const ids = chunk.flatMap((r) =>
      Object.entries(JSON.parse(r.external_ids) as Record<string, string>).map(([system, externalId]) => ({
        org_id: orgId,
        record_type: type,
        record_id: r.id,
        system,
        external_id: externalId,
      })),
    );
    await insertRows(trx, 'record_external_ids', ids);
    if (i + ROWS_PER_WRITE < records.length) await yieldToEventLoop();
  }
}
