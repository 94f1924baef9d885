/**
 * A cell of a CSV file that a spreadsheet will open made safe to open: text starting with a
 * character a spreadsheet reads as the start of a formula (`= + - @`, or a tab or carriage return
 * before one) is written with a leading apostrophe, which spreadsheets show as text and hide
 * (OWASP "CSV injection"). A cell already starting with apostrophes before such a character gets
 * one more, so `unescapeCsvCell` reads every escaped cell back as exactly what was escaped.
 * Quoting the cell (commas, quotes, line breaks) is the CSV writer's job, not this one's.
 *
 * Example: `escapeCsvCell('=HYPERLINK("http://evil")')` is `'=HYPERLINK("http://evil")`.
 */
export function escapeCsvCell(text: string): string {
  return GUARDED.test(text) ? `'${text}` : text;
}

/**
 * A cell of a CSV file read back as it was before `escapeCsvCell`: one leading apostrophe before
 * a formula character (after any further apostrophes) is dropped; any other cell is as written.
 * So a file exported by Baton and opened, edited and saved as CSV imports as what was exported.
 *
 * Example: `unescapeCsvCell("'=1+1")` is `=1+1`; `unescapeCsvCell("'quoted'")` is unchanged.
 */
export function unescapeCsvCell(text: string): string {
  return ESCAPED.test(text) ? text.slice(1) : text;
}

/** A formula start, possibly behind apostrophes a previous escape (or the author) put there. */
const GUARDED = /^'*[=+\-@\t\r]/;
/** An escaped cell: an apostrophe, then what `GUARDED` matches. */
const ESCAPED = /^''*[=+\-@\t\r]/;
