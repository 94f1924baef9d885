/**
 * Escapes the three characters Slack-compatible chat reads as markup (`<!channel>`, `<url|x>`):
 * user text in a message must not ping a channel or dress up a link.
 *
 * @example
 * chatText('<!channel> & co') // '&lt;!channel&gt; &amp; co'
 */
export function chatText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
