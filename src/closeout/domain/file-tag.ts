/** What an engagement file is: drawings as built, a network map, a contract, a photo, or other. */
export const FILE_TAGS = ['as_built', 'network_map', 'contract', 'photo', 'other'] as const;
export type FileTag = (typeof FILE_TAGS)[number];

export function isFileTag(value: unknown): value is FileTag {
  return typeof value === 'string' && (FILE_TAGS as readonly string[]).includes(value);
}

/** The longest file name kept. */
export const MAX_FILE_NAME = 200;
