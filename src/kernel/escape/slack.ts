/**
 * Plain text made safe for a Slack-compatible `mrkdwn` message: `<` and `>` (which open links,
 * mentions such as `<!channel>`, and dates) and `&` are written as the entities Slack documents.
 * Slack has no escape for `*`, `_` or `~`; they can only style the sender's own words.
 *
 * Example: `{ text: '*' + escapeSlack(subject) + '*' }`.
 */
export function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c] as string);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
