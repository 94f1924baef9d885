import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { unescapeCsvCell } from '../src/kernel/csv/escape.js';
import { csvText, exportName } from '../web/src/dashboard/csv.js';

/**
 * The dashboard's chart exports write CSV in the browser as the server writes its own: a byte-order
 * mark and a header row, quoting where a cell needs it, every cell escaped against CSV injection,
 * null an empty cell. Read back by the CSV parser the server's imports use, each cell is what was
 * written.
 */
describe('a chart exported as CSV', () => {
  const rows = [
    ['Missing, "site" survey', 3, 0.25],
    ['=HYPERLINK("http://evil")', 1, null],
    ['Two\nlines', 0, 1],
  ] as const;
  const text = csvText(['reason', 'count', 'rate'], rows);

  it('starts with a byte-order mark and the header row, one line per row', () => {
    expect(text.startsWith('\uFEFFreason,count,rate\r\n')).toBe(true);
    expect(text).toContain('\r\n"Missing, ""site"" survey",3,0.25\r\n');
    expect(text).toContain('\r\n"\'=HYPERLINK(""http://evil"")",1,\r\n');
  });

  it('reads back as the rows it was written from', () => {
    const read = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(read.map((r) => [unescapeCsvCell(r.reason!), r.count, r.rate])).toEqual([
      ['Missing, "site" survey', '3', '0.25'],
      ['=HYPERLINK("http://evil")', '1', ''],
      ['Two\nlines', '0', '1'],
    ]);
  });

  it('names the file after the chart and the months shown', () => {
    expect(exportName('cycle-times', { from: '2026-01', to: '2026-06' })).toBe('cycle-times-2026-01-2026-06');
    expect(exportName('cycle-times', { from: null, to: null })).toBe('cycle-times');
  });
});
