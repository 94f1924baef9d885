import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { escapeCsvCell } from './escape.js';

/**
 * A CSV file streamed from `records` (one array of cells per row, read as the client reads): a
 * UTF-8 byte-order mark (spreadsheets then read accents right), the header row, then each row.
 * Every cell is escaped against CSV injection (`escapeCsvCell`, which an import undoes); null and
 * undefined are empty cells, objects and arrays their JSON. A client that goes away stops the
 * reading too.
 *
 * @example
 *   csvFile(['Name'], (async function* () { yield ['=1+1']; })()).pipe(reply.raw) // "﻿Name\n'=1+1\n"
 */
export function csvFile(headers: readonly string[], records: AsyncIterable<readonly unknown[]>): Readable {
  const file = stringify({ bom: true, header: true, columns: [...headers] });
  async function* cells() {
    for await (const record of records) yield record.map(cellText);
  }
  pipeline(Readable.from(cells()), file, () => {});
  return file;
}

/** One value as the text of a cell, escaped. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return escapeCsvCell(JSON.stringify(value));
  return escapeCsvCell(String(value));
}

/** A name as a file name: letters, digits and hyphens (`fallback` when none is left). */
export function fileNameOf(name: string, fallback: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/[\s_]+/g, '-')
      .toLowerCase()
      .slice(0, 60) || fallback
  );
}
