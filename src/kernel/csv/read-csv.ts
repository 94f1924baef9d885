import { pipeline, Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CsvError, parse } from 'csv-parse';
import { AppError, type ErrorDetail } from '../errors.js';
import { unescapeCsvCell } from './escape.js';

/** Rows read between two returns to the event loop, so a large file never stalls other requests. */
const ROWS_PER_YIELD = 500;

/** A line break inside a quoted cell, as CSV files write them. */
const LINE_BREAK = /\r\n|\r|\n/g;

/** One row of a file read as a record: its value, or every problem of it (full messages). */
export type RowReading<T> = { ok: true; value: T } | { ok: false; issues: ErrorDetail[] };

/** The header row read: how each later row is read, or why the file cannot be. */
export type HeaderReading<T> =
  | { ok: true; row: (cells: string[], line: number) => RowReading<T> }
  | { ok: false; issues: ErrorDetail[] };

export interface CsvReadOptions<T> {
  /** Reads the header row (cells as written, byte-order mark removed). */
  header: (cells: string[]) => HeaderReading<T>;
  /** The most rows the file may hold: a bound on the memory a reading holds. */
  maxRows: number;
  /** What a row is, in messages: "the file has no accounts to import". */
  noun: string;
  /** Told every few hundred rows how far the reading is. */
  onProgress?: (progress: { rows: number; bytes: number }) => void;
}

/** A row read and checked, with the line of the file it starts on. */
export interface ReadRow<T> {
  line: number;
  value: T;
}

/**
 * Reads a CSV file as it streams in (csv-parse), row by row, and checks each as it comes: the
 * header row first (`options.header` says how later rows read), then every row, its cells read
 * back from their CSV-injection escape (`unescapeCsvCell`). Rows of empty cells are skipped. It
 * never holds the file, only the rows read (at most `maxRows`, then it stops), and returns to the
 * event loop every 500 rows. Every problem is named by the line its row starts on (counted here:
 * csv-parse takes a CRLF inside a quoted cell for two lines): wrong cell counts, bad values, a
 * file that stops being CSV (what came before is still reported), an empty file.
 *
 * @example
 *   const { rows, issues } = await readCsv(Readable.from(['Name\nAcme\n']), {
 *     header: () => ({ ok: true, row: (cells) => ({ ok: true, value: cells[0] }) }),
 *     maxRows: 10, noun: 'accounts',
 *   }); // rows: [{ line: 2, value: 'Acme' }], issues: []
 */
export async function readCsv<T>(
  source: NodeJS.ReadableStream | AsyncIterable<string | Buffer>,
  options: CsvReadOptions<T>,
): Promise<{ rows: ReadRow<T>[]; issues: ErrorDetail[]; bytes: number }> {
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true });
  const input = 'pipe' in source ? source : Readable.from(source);
  // The pipeline destroys the parser when the upload fails (and the upload when parsing stops).
  pipeline(input as NodeJS.ReadableStream, parser, () => {});
  const rows: ReadRow<T>[] = [];
  const issues: ErrorDetail[] = [];
  let readRow: ((cells: string[], line: number) => RowReading<T>) | null = null;
  let width = 0;
  let nextLine = 1;
  let previousEmpty = 0;
  let read = 0;
  const bytesRead = () => (parser.info as { bytes: number }).bytes;
  try {
    for await (const { info, record } of parser as AsyncIterable<{
      info: { empty_lines: number };
      record: string[];
    }>) {
      const line = nextLine + (info.empty_lines - previousEmpty);
      nextLine = line + 1 + record.reduce((n, cell) => n + (cell.match(LINE_BREAK)?.length ?? 0), 0);
      previousEmpty = info.empty_lines;
      if (readRow === null) {
        const header = options.header(record);
        if (!header.ok) {
          issues.push(...header.issues);
          break;
        }
        readRow = header.row;
        width = record.length;
        continue;
      }
      // A row of empty cells (",,,,": spreadsheets save trailing rows so) is no record; it is skipped.
      if (record.every((cell) => cell.trim() === '')) continue;
      if (++read > options.maxRows) {
        issues.push({
          path: '/rows',
          line,
          message: `the file has more than ${options.maxRows} rows; import it in parts`,
        });
        break;
      }
      if (record.length !== width) {
        issues.push({
          path: `/rows/${line}`,
          line,
          message: `line ${line} has ${record.length} cell${record.length === 1 ? '' : 's'}; the header has ${width}`,
        });
      } else {
        const reading = readRow(record.map(unescapeCsvCell), line);
        if (reading.ok) rows.push({ line, value: reading.value });
        else issues.push(...reading.issues);
      }
      if (read % ROWS_PER_YIELD === 0) {
        options.onProgress?.({ rows: read, bytes: bytesRead() });
        await yieldToEventLoop();
      }
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? nextLine;
    issues.push({
      path: '/rows',
      line,
      code: error.code,
      message: `the file is not valid CSV: ${error.message}`,
    });
  } finally {
    parser.destroy();
  }
  if (readRow === null && issues.length === 0)
    issues.push({
      path: '/header',
      line: 1,
      message: 'the file is empty: it needs a header row naming the columns',
    });
  else if (issues.length === 0 && rows.length === 0)
    issues.push({
      path: '/rows',
      message: `the file has no ${options.noun} to import (a header row, then one row per record)`,
    });
  return { rows, issues: issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)), bytes: bytesRead() };
}

/**
 * The refusal of a file with bad lines: 422, nothing imported, every problem listed (each with
 * its `line`), as the API's problem+json.
 */
export function csvRefusal(issues: ErrorDetail[]): AppError {
  const lines = new Set(issues.map((i) => i.line).filter((l) => l !== undefined));
  return new AppError(
    'unprocessable',
    lines.size > 0
      ? `${lines.size} line${lines.size === 1 ? '' : 's'} of the file ${lines.size === 1 ? 'is' : 'are'} not valid: nothing was imported.`
      : 'The file cannot be imported: nothing was imported.',
    issues,
  );
}
