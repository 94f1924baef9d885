/**
 * Escapes for iCalendar (RFC 5545) content lines, so text from users cannot end a line, start a
 * property or a component, or change a parameter.
 */

/**
 * A TEXT value (§3.3.11): backslash, semicolon and comma are escaped, every line ending becomes
 * `\n`, and other control characters (which TEXT may not hold) become spaces.
 *
 * Example: `SUMMARY:${escapeIcalText(title)}`.
 */
export function escapeIcalText(value: string): string {
  return value
    .replace(/\r\n|\r|\n/g, '\n')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(CONTROLS, ' ');
}

/** A quoted parameter value (§3.2): no double quotes or control characters can be inside. */
export function escapeIcalParam(value: string): string {
  return `"${value.replace(/["\p{Cc}]/gu, ' ')}"`;
}

/** A CAL-ADDRESS of an e-mail address (`mailto:…`, §3.3.3): nothing that could end the line. */
export function icalMailto(email: string): string {
  return `mailto:${email.replace(/[\s\p{Cc}]/gu, '')}`;
}

/** Control characters other than the tab, which TEXT allows. */
const CONTROLS = /(?!\t)\p{Cc}/gu;
