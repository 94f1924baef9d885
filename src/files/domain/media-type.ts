/**
 * What a file is, read from its first bytes rather than from what the client says (a client may
 * call an executable `image/png`). Pure: no I/O. `SNIFF_BYTES` is how many bytes it needs.
 */
export const SNIFF_BYTES = 512;

/** The ZIP-based office formats a client may name for a file whose bytes are a ZIP archive. */
const ZIP_BASED = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
]);

/** Text types a client may name for a file whose bytes are plain UTF-8 text; any other is text/plain. */
const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'text/markdown']);

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const MAGIC: readonly { type: string; test: (head: Uint8Array) => boolean }[] = [
  { type: 'image/png', test: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/jpeg', test: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
  { type: 'image/gif', test: (h) => startsWith(h, ascii('GIF87a')) || startsWith(h, ascii('GIF89a')) },
  { type: 'image/webp', test: (h) => startsWith(h, ascii('RIFF')) && startsWith(h, ascii('WEBP'), 8) },
  {
    type: 'image/tiff',
    test: (h) => startsWith(h, [0x49, 0x49, 0x2a, 0x00]) || startsWith(h, [0x4d, 0x4d, 0x00, 0x2a]),
  },
  { type: 'application/pdf', test: (h) => startsWith(h, ascii('%PDF-')) },
  {
    type: 'application/zip',
    test: (h) => startsWith(h, [0x50, 0x4b, 0x03, 0x04]) || startsWith(h, [0x50, 0x4b, 0x05, 0x06]),
  },
  { type: 'image/vnd.dwg', test: (h) => startsWith(h, ascii('AC10')) },
];

/** True when the bytes are UTF-8 text with no NUL (a sequence cut off at the end of `head` counts). */
function looksLikeText(head: Uint8Array, complete: boolean): boolean {
  if (head.includes(0)) return false;
  let cut = head.length;
  // Step back over a multi-byte sequence the sample may have cut in two.
  if (!complete) {
    for (let i = head.length - 1; i >= Math.max(0, head.length - 4); i--) {
      const b = head[i]!;
      if (b < 0x80) break;
      if (b >= 0xc0) {
        cut = i;
        break;
      }
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, cut));
    return true;
  } catch {
    return false;
  }
}

/**
 * The media type of a file whose first bytes are `head` (at most `SNIFF_BYTES`; `complete` when
 * that is the whole file), given what the client claimed. The bytes decide: a known signature
 * wins over the claim (a ZIP may be named as one of the office formats built on it); UTF-8 text
 * is the claimed text type or text/plain; anything else is application/octet-stream.
 *
 * @example
 *   sniffMediaType(Buffer.from('%PDF-1.7 …'), 'image/png', false) // 'application/pdf'
 *   sniffMediaType(Buffer.from('a,b\n1,2\n'), 'text/csv', true)   // 'text/csv'
 */
export function sniffMediaType(head: Uint8Array, claimed: string | null, complete: boolean): string {
  const claim = normaliseMediaType(claimed);
  const known = MAGIC.find((m) => m.test(head))?.type;
  if (known === 'application/zip' && claim && ZIP_BASED.has(claim)) return claim;
  if (known) return known;
  if (looksLikeText(head, complete)) return claim && TEXT_TYPES.has(claim) ? claim : 'text/plain';
  return 'application/octet-stream';
}

/** `Text/CSV; charset=utf-8` → `text/csv`; null for nothing or something that is no media type. */
export function normaliseMediaType(value: string | null | undefined): string | null {
  const type = value?.split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) ? type : null;
}

/** Whether `type` is in the allowlist, whose entries are media types or `image/*`-style ranges. */
export function isAllowedType(type: string, allowed: readonly string[]): boolean {
  return allowed.some(
    (a) => a === '*/*' || a === type || (a.endsWith('/*') && type.startsWith(a.slice(0, -1))),
  );
}

/** The media types accepted when `BATON_FILES_TYPES` is not set: drawings, documents, photos, text. */
export const DEFAULT_FILE_TYPES: readonly string[] = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/tiff',
  'image/vnd.dwg',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/zip',
  ...ZIP_BASED,
];

/** The types a browser may show inline (previews): images it renders and PDFs. */
export function isPreviewable(type: string): boolean {
  return ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'].includes(type);
}
