import { createReadStream, statSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import type { ImportKind } from '../accounts/domain/import-headers.js';
import { importRecords } from '../accounts/use-cases/import-records.js';
import { loadPrincipal } from '../identity/use-cases/load-principal.js';
import type { Deps } from '../kernel/context.js';
import { AppError, type ErrorDetail } from '../kernel/errors.js';
import { statusOf } from '../kernel/http/problem.js';
import type { Principal } from '../kernel/principal.js';
import { importRevenue } from '../revenue/use-cases/import-revenue.js';

/** What a file may hold: records of accounts, or revenue records (`POST /revenue-records/import`). */
export type ImportFileKind = ImportKind | 'revenue';

/** Where an import goes: a running server (by URL and API token), or the database itself. */
export type ImportTarget = { server: string; token: string } | { deps: Deps; org: string; as: string };

export interface ImportReport {
  ok: boolean;
  status: number;
  result?: unknown;
  detail?: string;
  errors?: ErrorDetail[];
}

/**
 * Imports a CSV file of accounts, contacts, engagements or revenue records, drawing a progress bar on `bar`
 * (stderr when it is a terminal; a line per tenth otherwise) as the file is read: bytes sent to
 * the server, or read into the import, of the file's size; then "writing" until the answer.
 * Against a server the file streams in one request (`POST /api/v1/{kind}/import`, `/revenue-records/import` for revenue), so the server
 * checks the caller's role and token scope; on the database, the import runs as the user `as`
 * of the organisation `org`, with that user's role.
 *
 * Example: `await importFile('accounts', 'accounts.csv', { server: 'http://localhost:3000', token }, process.stderr)`.
 */
export async function importFile(
  kind: ImportFileKind,
  file: string,
  target: ImportTarget,
  bar: NodeJS.WriteStream | null,
): Promise<ImportReport> {
  const size = statSync(file).size;
  const progress = progressBar(size, bar);
  const counted = createReadStream(file).pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        progress.advance(chunk.length);
        callback(null, chunk);
      },
      flush(callback) {
        progress.writing();
        callback();
      },
    }),
  );
  try {
    if ('server' in target) return await viaServer(kind, counted, size, target);
    return await viaDatabase(kind, counted, target);
  } finally {
    progress.done();
  }
}

async function viaServer(
  kind: ImportFileKind,
  body: Readable,
  size: number,
  target: { server: string; token: string },
): Promise<ImportReport> {
  const url = new URL(
    `api/v1/${kind === 'revenue' ? 'revenue-records' : kind}/import`,
    target.server.endsWith('/') ? target.server : `${target.server}/`,
  );
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${target.token}`,
      'content-type': 'text/csv',
      'content-length': String(size),
    },
    body: Readable.toWeb(body) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const answer = (await res.json().catch(() => ({}))) as { detail?: string; errors?: ErrorDetail[] };
  if (res.ok) return { ok: true, status: res.status, result: answer };
  return {
    ok: false,
    status: res.status,
    detail: answer.detail ?? res.statusText,
    ...(answer.errors ? { errors: answer.errors } : {}),
  };
}

async function viaDatabase(
  kind: ImportFileKind,
  body: Readable,
  target: { deps: Deps; org: string; as: string },
): Promise<ImportReport> {
  const principal = await principalFor(target.deps, target.org, target.as);
  try {
    const result =
      kind === 'revenue'
        ? await importRevenue(target.deps, principal, body)
        : await importRecords(target.deps, principal, kind, body);
    return { ok: true, status: 200, result };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { ok: false, status: statusOf(error.code), detail: error.message, errors: error.errors };
  }
}

/**
 * The principal of the user `as` (an e-mail address) of the organisation `org` (its slug), for a
 * command that works on the database itself; not found when either is missing or disabled.
 */
export async function principalFor(deps: Deps, org: string, as: string): Promise<Principal> {
  const db = deps.store.db;
  const found = await db.selectFrom('organisations').select('id').where('slug', '=', org).executeTakeFirst();
  if (!found) throw new AppError('not_found', `No organisation ${org}.`);
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', found.id)
    .where('email', '=', as.trim().toLowerCase())
    .executeTakeFirst();
  const principal = user ? await loadPrincipal(db, found.id, user.id) : null;
  if (!principal) throw new AppError('not_found', `No enabled user ${as} in ${org}.`);
  return principal;
}

/** A bar of 30 cells with the percentage and sizes; on a pipe, a line at each tenth. */
function progressBar(total: number, out: NodeJS.WriteStream | null) {
  let seen = 0;
  let lastTenth = -1;
  const tty = !!out?.isTTY;
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  const draw = (label: string) => {
    if (!out) return;
    const share = total === 0 ? 1 : Math.min(1, seen / total);
    const cells = Math.round(share * 30);
    const line = `[${'#'.repeat(cells)}${'.'.repeat(30 - cells)}] ${String(Math.round(share * 100)).padStart(3)}% ${mib(seen)} of ${mib(total)} ${label}`;
    if (tty) out.write(`\r${line}`);
    else {
      const tenth = Math.floor(share * 10);
      if (tenth !== lastTenth || label !== 'reading') out.write(`${line}\n`);
      lastTenth = tenth;
    }
  };
  return {
    advance(bytes: number) {
      seen += bytes;
      draw('reading');
    },
    writing() {
      draw('read; importing');
    },
    done() {
      if (tty) out?.write('\n');
    },
  };
}
