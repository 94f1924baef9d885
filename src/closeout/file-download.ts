import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { isPreviewable } from '../files/domain/media-type.js';
import type { OpenedFileVersion } from './use-cases/open-file-version.js';

/** A download's version number, in the path. */
export const FileVersionParam = Type.Integer({
  minimum: 1,
  maximum: 1_000_000,
  description: 'Version number',
});

/** A download's query: `disposition=inline` asks to show an image or a PDF in the page. */
export const DownloadQuery = Type.Object(
  { disposition: Type.Optional(Type.Union([Type.Literal('inline'), Type.Literal('attachment')])) },
  { additionalProperties: false },
);

/** A download's answer, as the OpenAPI document describes it: bytes of any type. */
export const FILE_CONTENT = {
  description: 'The content',
  content: { '*/*': { schema: Type.String({ contentMediaType: 'application/octet-stream' }) } },
};

/** `attachment; filename="…"; filename*=UTF-8''…`, safe for any name. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** File name extension for a media type, for downloads whose name has none. */
const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'text/csv': '.csv',
  'text/plain': '.txt',
};

/**
 * Streams one version of a file as the answer: its type as read at upload, its length, a name
 * with an extension, never sniffed by the browser; `inline` (for a preview) only for an image or a
 * PDF, an attachment otherwise. The team's download and the client's (through the portal) answer
 * alike.
 */
export function sendFileVersion(
  reply: FastifyReply,
  { file, version, content }: OpenedFileVersion,
  wanted: 'inline' | 'attachment' | undefined,
): FastifyReply {
  const inline = wanted === 'inline' && isPreviewable(version.media_type);
  const extension = EXTENSIONS[version.media_type] ?? '';
  const name = file.name.toLowerCase().endsWith(extension) ? file.name : `${file.name}${extension}`;
  return reply
    .type(version.media_type)
    .header('content-length', String(version.size))
    .header('content-disposition', disposition(inline ? 'inline' : 'attachment', name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=31536000, immutable')
    .header('etag', `"${version.sha256}"`)
    .send(content as unknown as string);
}
