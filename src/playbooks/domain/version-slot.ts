import { type Document, isMap } from 'yaml';
import type { YamlLocator } from './yaml-locator.js';

/** Where a document that names no version gets its version line: insert `prefix + version` at `offset`. */
export interface VersionSlot {
  offset: number;
  prefix: string;
}

/**
 * The place for `version: N` in a document without one: on the line after its `key`, indented like
 * it (or `, version: N` after the key's value in a one-line `{ key: ..., ... }` document), so the
 * stored document says which version it became and reads as its author wrote it otherwise.
 * Only called on a valid playbook, whose `key` is a one-line scalar of the top-level mapping.
 */
export function versionSlot(source: string, doc: Document, locator: YamlLocator): VersionSlot | undefined {
  const top = doc.contents;
  if (!isMap(top)) return undefined;
  const pair = locator.pairOf(top, 'key');
  const keyRange = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
  const valueRange = (pair?.value as { range?: [number, number, number] } | undefined)?.range;
  if (!keyRange || !valueRange) return undefined;
  if (top.flow) return { offset: valueRange[1], prefix: ', version: ' };
  const indent = ' '.repeat(locator.offsetToPosition(keyRange[0]).column - 1);
  const newline = source.indexOf('\n', valueRange[1]);
  if (newline < 0) return { offset: source.length, prefix: `\n${indent}version: ` };
  const crlf = source[newline - 1] === '\r';
  return { offset: crlf ? newline - 1 : newline, prefix: `${crlf ? '\r\n' : '\n'}${indent}version: ` };
}

/** The source with its version line written in. */
export function withVersion(source: string, slot: VersionSlot, version: number): string {
  return `${source.slice(0, slot.offset)}${slot.prefix}${version}${source.slice(slot.offset)}`;
}
