import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markEveryMonth, refreshRollups } from '../src/metrics/rollups/refresh-rollups.js';
import { seedOrg, testApp } from './support/app.js';
import { baton } from './support/cli.js';
import { factOrg, writeHistory } from './support/metric-facts.js';
import { DIALECTS, openTestStore } from './support/stores.js';

describe.each(DIALECTS)('baton report, a real process over the database, on %s', (dialect) => {
  it('prints a metric as a table, CSV and JSON with the same numbers; bad filters exit 1 naming each', async () => {
    const store = await openTestStore(dialect);
    const { app, deps } = await testApp(store);
    const org = await seedOrg(deps, 'Report Co');
    const facts = await factOrg(store, org);
    await writeHistory(store, facts);
    // Rolled up, as a long-running server leaves them: the report reads the roll-ups.
    await markEveryMonth(store.db);
    await refreshRollups(store);
    await app.close();
    await store.close();
    const env = {
      BATON_DATABASE_URL: store.url,
      BATON_DATA_DIR: mkdtempSync(join(tmpdir(), 'baton-report-')),
    };
    const args = ['report', 'first_pass_rate', '--by', 'period', '--from', '2026-01', '--to', '2026-03'];
    const as = ['--org', org.slug, '--as', `val@${org.slug}.test`];

    const json = await baton(env, ...args, ...as, '--format', 'json');
    expect(json.code, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout);
    expect(answer.by).toBe('period');
    // Worked out by hand in test/metrics.test.ts.
    expect(answer.rows).toEqual([
      { period: '2026-01', submitted: 2, accepted: 2, decided: 2, first_pass: 1, rate: 0.5 },
      { period: '2026-02', submitted: 2, accepted: 1, decided: 2, first_pass: 1, rate: 0.5 },
      { period: '2026-03', submitted: 1, accepted: 1, decided: 1, first_pass: 1, rate: 1 },
    ]);

    const csv = await baton(env, ...args, ...as, '--format', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const header = lines[0]!.split(',');
    expect(header).toEqual(['period', 'submitted', 'accepted', 'decided', 'first_pass', 'rate']);
    const fromCsv = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    const asText = (row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)]));
    expect(fromCsv).toEqual(answer.rows.map(asText));

    const table = await baton(env, ...args, ...as);
    expect(table.code, table.stderr).toBe(0);
    const [title, head, ...body] = table.stdout.trimEnd().split('\n');
    expect(title).toBe('First-pass acceptance rate (2026-01 to 2026-03, by period)');
    expect(head!.split(/\s+/)).toEqual(header);
    expect(body.map((l) => l.trim().split(/\s+/))).toEqual(
      answer.rows.map((r: Record<string, unknown>) => header.map((h) => String(r[h]))),
    );

    // A rate of two thirds, to four decimals in the table, in full in CSV and JSON.
    const third = ['report', 'sender_scorecards', ...as];
    const scoreJson = JSON.parse((await baton(env, ...third, '--format', 'json')).stdout);
    expect(scoreJson.rows[0].first_pass_rate).toBe(2 / 3);
    expect((await baton(env, ...third)).stdout).toContain('0.6667');
    expect((await baton(env, ...third, '--format', 'csv')).stdout).toContain(String(2 / 3));

    const bad = await baton(env, 'report', 'first_pass_rate', '--from', '2026-13', '--by', 'galaxy', ...as);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('/from: must be a month, YYYY-MM');
    expect(bad.stderr).toContain('/by: must be one of');
    const unknown = await baton(env, 'report', 'nothing_here', ...as);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No metric nothing_here.');
  }, 180_000);
});
