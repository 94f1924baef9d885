/** How many names a message lists before it only counts the rest. */
const MAX_LISTED = 20;

/**
 * Joins names for an error message, listing at most twenty, so that a message about a document with
 * thousands of stages or options stays a line long.
 * Example: `nameList(['a', 'b'])` is `'a, b'`; with 25 names it ends `..., t and 5 more`.
 */
export function nameList(names: readonly string[]): string {
  if (names.length <= MAX_LISTED) return names.join(', ');
  const rest = names.length - MAX_LISTED;
  return `${names.slice(0, MAX_LISTED).join(', ')} and ${rest.toLocaleString('en')} more`;
}
