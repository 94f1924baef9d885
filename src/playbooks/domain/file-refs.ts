import type { TransitionDef } from './playbook.js';

/** A `file` value of a packet: which file of the engagement, which version, and where it stands. */
export interface FileRef {
  /** `[section, field]`. */
  parts: [string, string];
  /** The field's label. */
  label: string;
  fileId: string;
  version: number;
}

/**
 * The files a packet's `file` fields name (values of another shape are the schema's business).
 *
 * @example
 *   fileRefsOf(transition, { closeout: { as_built: { file_id: 'f1', version: 2 } } })
 *   // → [{ parts: ['closeout', 'as_built'], label: 'As-built drawings', fileId: 'f1', version: 2 }]
 */
export function fileRefsOf(transition: TransitionDef, packet: unknown): FileRef[] {
  const refs: FileRef[] = [];
  for (const section of transition.sections) {
    for (const field of section.fields) {
      if (field.type !== 'file') continue;
      const sectionValue = (packet as Record<string, unknown> | null)?.[section.key];
      const value = (sectionValue as Record<string, unknown> | null | undefined)?.[field.key] as
        | { file_id?: unknown; version?: unknown }
        | null
        | undefined;
      if (typeof value?.file_id === 'string' && Number.isInteger(value.version))
        refs.push({
          parts: [section.key, field.key],
          label: field.label,
          fileId: value.file_id,
          version: value.version as number,
        });
    }
  }
  return refs;
}
