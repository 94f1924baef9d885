import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { FILE_TAGS } from './domain/file-tag.js';

export const FileTagSchema = StringEnum(FILE_TAGS, {
  description: 'What the file is: as_built drawings, a network_map, a contract, a photo, or other',
});

export const FileVersionSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    sha256: Type.String({ description: 'SHA-256 of the content, hex' }),
    size: Type.Integer({ minimum: 0, description: 'Bytes' }),
    media_type: Type.String({ description: 'The type read from the content itself' }),
    original_name: Nullable(Type.String({ description: "The uploader's file name" })),
    uploaded_by: Nullable(Type.String()),
    uploaded_at: Type.String({ format: 'date-time' }),
    content_url: Type.String({ description: 'Where to download this version' }),
  },
  { $id: 'EngagementFileVersion', additionalProperties: false },
);

export const EngagementFileSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    name: Type.String(),
    tag: FileTagSchema,
    latest_version: Type.Integer({ minimum: 1 }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    versions: Type.Array(FileVersionSchema, { description: 'Every version, newest first' }),
  },
  { $id: 'EngagementFile', additionalProperties: false },
);

export type FileVersion = Static<typeof FileVersionSchema>;
export type EngagementFile = Static<typeof EngagementFileSchema>;
