/**
 * Benchmark: a 10,000-row inventory import (`importInventory`: stream, parse, check every row,
 * write all in one transaction) against csv-parse alone reading the same file, in the same run,
 * on SQLite. Each side is timed five times, taking turns; the figure is the median.
 *
 * Alone: `npx tsx bench/inventory-import.ts`.
 */
import { Readable } from 'node:stream';
import { createAccount } from '../src/accounts/use-cases/create-account.js';
import { createEngagement } from '../src/accounts/use-cases/create-engagement.js';
import { importInventory } from '../src/closeout/use-cases/import-inventory.js';
import { authenticateToken } from '../src/identity/use-cases/authenticate-token.js';
import { systemClock } from '../src/kernel/clock.js';
import { openStore } from '../src/kernel/db/dialect.js';
import { migrateToLatest } from '../src/kernel/db/migrate.js';
import { appDeps } from '../src/server/app-deps.js';
import { createOrganisation } from '../src/server/create-organisation.js';
import { tempSqlite } from './http-lifecycle.js';
import { chunks, parseAlone } from './support/csv-file.js';
import { type Figure, median } from './support/figure.js';

const ROWS = 10_000;
const RUNS = 5;

/** A realistic file: every column filled, one device per row, serials unique. */
export function inventoryCsv(rows: number): string {
  const lines = [
    'Type,Make,Model,Serial,Location,Network address,Firmware version,Installed on,Warranty until',
  ];
  const kinds = [
    ['Camera', 'Axis', 'P3265-LVE'],
    ['Reader', 'HID', 'Signo 40'],
    ['Controller', 'Mercury', 'LP1502'],
    ['Panel', 'Bosch', 'B6512'],
  ] as const;
  for (let i = 0; i < rows; i++) {
    const [type, make, model] = kinds[i % kinds.length]!;
    lines.push(
      `${type},${make},${model},SN-${String(i).padStart(6, '0')},"Building ${i % 7}, floor ${i % 5}",10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},11.2.${i % 90},2026-03-02,2029-03-01`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function benchInventoryImport(): Promise<Figure[]> {
  const store = openStore(tempSqlite('inventory'));
  try {
    await migrateToLatest(store.db);
    const deps = appDeps({ store, clock: systemClock });
    const made = await createOrganisation(deps, { name: 'Bench inventory', slug: 'bench-inventory' });
    const admin = (await authenticateToken(deps, made.admin.token.token))!;
    const account = await createAccount(deps, admin, { name: 'Client' });
    const file = chunks(inventoryCsv(ROWS));
    const parser: number[] = [];
    const ours: number[] = [];
    await parseAlone(file); // warm both paths once
    for (let run = 0; run <= RUNS; run++) {
      const engagement = await createEngagement(deps, admin, { account_id: account.id, name: `Site ${run}` });
      let t = performance.now();
      const parsed = await parseAlone(file);
      const parseMs = performance.now() - t;
      t = performance.now();
      const { imported } = await importInventory(deps, admin, engagement.id, Readable.from(file));
      const importMs = performance.now() - t;
      if (parsed !== ROWS || imported !== ROWS)
        throw new Error(`read ${parsed}, imported ${imported} of ${ROWS}`);
      if (run === 0) continue; // the first import warms the statements
      parser.push(parseMs);
      ours.push(importMs);
    }
    const value = median(ours);
    const baseline = median(parser);
    return [
      {
        name: `inventory import, ${ROWS.toLocaleString('en')} rows (SQLite)`,
        value,
        unit: 'ms',
        baseline,
        ratio: value / baseline,
        note: 'baseline: csv-parse alone on the same file; ours streams, checks every row and writes all in one transaction',
      },
    ];
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchInventoryImport())
    process.stdout.write(
      `${f.name}: ${f.value.toFixed(0)} ${f.unit} vs ${f.baseline.toFixed(0)} ${f.unit} (${f.ratio.toFixed(2)}×)\n`,
    );
}
