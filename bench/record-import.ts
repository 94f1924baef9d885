/**
 * Benchmark: a 50,000-row CSV import of accounts (`importRecords`: stream, parse, map through the
 * header dictionary, match every row against the organisation's records, write all in one
 * transaction), then the same file again (every row found unchanged, nothing written), against
 * csv-parse alone reading the same file, in the same run, on SQLite. Each side is timed three
 * times, taking turns; the figure is the median.
 *
 * Alone: `npx tsx bench/record-import.ts`.
 */
import { Readable } from 'node:stream';
import { importRecords } from '../src/accounts/use-cases/import-records.js';
import { authenticateToken } from '../src/identity/use-cases/authenticate-token.js';
import { systemClock } from '../src/kernel/clock.js';
import { openStore } from '../src/kernel/db/dialect.js';
import { migrateToLatest } from '../src/kernel/db/migrate.js';
import { appDeps } from '../src/server/app-deps.js';
import { createOrganisation } from '../src/server/create-organisation.js';
import { tempSqlite } from './http-lifecycle.js';
import { chunks, parseAlone } from './support/csv-file.js';
import { type Figure, median } from './support/figure.js';

const ROWS = 50_000;
const RUNS = 3;

/** A HubSpot-shaped companies export: an id, a name, a description. */
function accountsCsv(rows: number, run: number): Buffer[] {
  const lines = ['Record ID,Company Name,Description'];
  for (let i = 0; i < rows; i++)
    lines.push(`${run}-${i},"Company ${run}-${i}, Inc.",Imported for the benchmark`);
  return chunks(`${lines.join('\n')}\n`);
}

export async function benchRecordImport(): Promise<Figure[]> {
  const store = openStore(tempSqlite('record-import'));
  try {
    await migrateToLatest(store.db);
    const deps = appDeps({ store, clock: systemClock });
    const made = await createOrganisation(deps, { name: 'Bench records', slug: 'bench-records' });
    const admin = (await authenticateToken(deps, made.admin.token.token))!;
    const parser: number[] = [];
    const fresh: number[] = [];
    const again: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const file = accountsCsv(ROWS, run);
      let t = performance.now();
      const parsed = await parseAlone(file);
      parser.push(performance.now() - t);
      t = performance.now();
      const first = await importRecords(deps, admin, 'accounts', Readable.from(file));
      fresh.push(performance.now() - t);
      t = performance.now();
      const second = await importRecords(deps, admin, 'accounts', Readable.from(file));
      again.push(performance.now() - t);
      if (parsed !== ROWS || first.created !== ROWS || second.unchanged !== ROWS)
        throw new Error(`read ${parsed}, created ${first.created}, unchanged ${second.unchanged} of ${ROWS}`);
    }
    const baseline = median(parser);
    const note =
      'baseline: csv-parse alone on the same file; ours streams, maps, matches every row against the organisation and writes in one transaction';
    return [
      {
        name: `accounts CSV import, ${ROWS.toLocaleString('en')} new rows (SQLite)`,
        value: median(fresh),
        unit: 'ms',
        baseline,
        ratio: median(fresh) / baseline,
        note,
      },
      {
        name: `accounts CSV re-import, ${ROWS.toLocaleString('en')} rows unchanged (SQLite)`,
        value: median(again),
        unit: 'ms',
        baseline,
        ratio: median(again) / baseline,
        note: 'every row found by its HubSpot id; nothing written',
      },
    ];
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchRecordImport())
    process.stdout.write(
      `${f.name}: ${f.value.toFixed(0)} ${f.unit} vs ${f.baseline.toFixed(0)} ${f.unit} (${f.ratio.toFixed(2)}×)\n`,
    );
}
