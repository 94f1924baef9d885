import { escapeCsvCell } from '../../../src/kernel/csv/escape.js';

/** One figure of a chart as a CSV cell or a table cell: a number, a word, or nothing. */
export type Cell = string | number | null;

/**
 * The rows a chart shows as a CSV file, written as the server writes its own (`csvFile` in
 * src/kernel/csv/write-csv.ts): a byte-order mark, the header row, then each row; every cell
 * escaped against CSV injection (`escapeCsvCell`), quoted when it holds a comma, a quote or a
 * line break; null an empty cell. Rates stay fractions of 1 and hours numbers, as the API answers.
 *
 * @example csvText(['reason', 'count'], [['Missing scope', 3]]) // "\uFEFFreason,count\r\nMissing scope,3\r\n"
 */
export function csvText(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const line = (cells: readonly Cell[]) => cells.map(csvCell).join(',');
  return `\uFEFF${[headers, ...rows].map(line).join('\r\n')}\r\n`;
}

function csvCell(value: Cell): string {
  if (value === null) return '';
  const text = escapeCsvCell(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** "rejections-by-reason-2026-01-2026-06": a file name for an export of the filtered view. */
export function exportName(chart: string, filters: { from?: string | null; to?: string | null }): string {
  return [chart, filters.from, filters.to].filter(Boolean).join('-');
}
