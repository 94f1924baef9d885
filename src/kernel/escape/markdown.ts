/**
 * Text made safe for Markdown (CommonMark and GitHub's flavour): rendered, it shows the same
 * words and opens no tag, link, image, emphasis, code span, heading, list, quote, table cell or
 * math. One line only: line breaks become spaces (use `escapeMarkdownLines` for text whose lines
 * matter), and spaces at either end are dropped, since they would indent or break the line.
 *
 * HTML's characters are written as entities (`&lt;`), which every Markdown renderer shows as the
 * character, where a backslash is not understood by all of them. Other punctuation with a meaning
 * anywhere in a line is backslash-escaped; `+ - =` and `1.` only mean something at the start of a
 * line, so only there. A bare URL stays text, which some renderers show as a link to itself: it
 * hides no other destination.
 *
 * Example: `- **${escapeMarkdown(label)}:** ${escapeMarkdown(value)}`.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .trim()
    .replace(INLINE, (c) => ENTITIES[c] ?? `\\${c}`)
    .replace(LINE_START, (marker) => `${marker.slice(0, -1)}\\${marker.slice(-1)}`);
}

/** Each line of `text` escaped as by `escapeMarkdown`, for a block whose lines are kept (a quote). */
export function escapeMarkdownLines(text: string): string[] {
  return text.split(LINE_BREAKS).map(escapeMarkdown);
}

/** Every line ending CommonMark knows. */
const LINE_BREAKS = /\r\n|\r|\n/;

/** Characters that open something wherever they are (`!` only before `[`, which is escaped). */
const INLINE = /[&<>\\`*_[\]|~$#]/g;

/** A list marker, setext underline or ordered-list number at the start of the text. */
const LINE_START = /^(?:[-+=]|\d{1,9}[.)])/;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
