/**
 * Text made safe for HTML element content and quoted attribute values: it can open no tag,
 * comment, entity or attribute, and reads back as exactly the same characters.
 *
 * Example: `<p title="${escapeHtml(title)}">${escapeHtml(body)}</p>`.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
