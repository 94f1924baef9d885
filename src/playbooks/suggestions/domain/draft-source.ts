import { isMap, isScalar, type Pair, parseDocument, type YAMLMap } from 'yaml';
import { tokens } from '../../domain/json-pointer.js';

/**
 * Writes a suggested change into a playbook's YAML document as its author would: the one line of
 * the attribute changed or added, and the `version` line moved on, with every other character
 * (comments, layout, quoting) as it was, so the diff an admin reads before installing shows the
 * change and nothing else.
 */

type Range = [number, number, number];
const rangeOf = (node: unknown): Range | undefined =>
  (node as { range?: Range | null } | null | undefined)?.range ?? undefined;

/** A scalar as YAML reads it back: `true`, or the text as a double-quoted string (JSON's escapes are YAML's). */
export function yamlScalar(value: boolean | number | string): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
}

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

/** The edit that gives `key` the value `text` in `map`: the value replaced, or a pair added after `after` (the last pair by default). */
function setPair(source: string, map: YAMLMap, key: string, text: string, after?: Pair): Edit | string {
  const existing = pairOf(map, key);
  if (existing) {
    const range = rangeOf(existing.value);
    if (!range) return `"${key}" has no value to replace`;
    // A block scalar's range takes its last line break: keep it.
    const keepBreak = source[range[1] - 1] === '\n' ? (source[range[1] - 2] === '\r' ? '\r\n' : '\n') : '';
    return { at: range[0], remove: range[1] - range[0], insert: `${text}${keepBreak}` };
  }
  const last = after ?? map.items.at(-1);
  const lastRange = rangeOf(last?.value) ?? rangeOf(last?.key);
  if (!last || !lastRange) return 'the mapping is empty';
  if (map.flow) return { at: lastRange[1], remove: 0, insert: `, ${key}: ${text}` };
  const keyStart = rangeOf(last.key)?.[0];
  if (keyStart === undefined) return 'the mapping has a key without a place';
  const lineStart = source.lastIndexOf('\n', keyStart - 1) + 1;
  const indent = source.slice(lineStart, keyStart).replace(/[^ ]/g, ' ');
  let lineEnd = source.indexOf('\n', Math.max(lastRange[1] - 1, keyStart));
  if (lineEnd < 0) lineEnd = source.length;
  const crlf = source[lineEnd - 1] === '\r';
  const at = crlf ? lineEnd - 1 : lineEnd;
  return { at, remove: 0, insert: `${crlf ? '\r\n' : '\n'}${indent}${key}: ${text}` };
}

/**
 * The document with the attribute at `pointer` (`/transitions/0/sections/1/fields/0/required`) set
 * to `value` and its version set to `version`; or why it cannot be written that way (the field is
 * an alias of another node, say), for the caller to refuse. The result is only a candidate: the
 * caller checks it and compares what it means with the change it was asked for.
 */
export function draftSource(
  source: string,
  at: string,
  value: boolean | string,
  version: number,
): { ok: true; source: string } | { ok: false; reason: string } {
  const doc = parseDocument(source, { keepSourceTokens: false });
  const top = doc.contents;
  const path = tokens(at);
  const attribute = path.pop();
  if (!isMap(top) || attribute === undefined) return { ok: false, reason: 'the document is not a mapping' };
  const owner = doc.getIn(
    path.map((t) => (/^\d+$/.test(t) ? Number(t) : t)),
    true,
  );
  if (!isMap(owner)) return { ok: false, reason: `${path.join('.')} is not written as a mapping of its own` };
  const edits: Edit[] = [];
  const field = setPair(source, owner, attribute, yamlScalar(value));
  if (typeof field === 'string') return { ok: false, reason: field };
  edits.push(field);
  const versionEdit = setPair(source, top, 'version', yamlScalar(version), pairOf(top, 'key'));
  if (typeof versionEdit === 'string') return { ok: false, reason: versionEdit };
  edits.push(versionEdit);
  // Apply from the end, so earlier offsets stay true.
  edits.sort((a, b) => b.at - a.at);
  let out = source;
  for (const e of edits) out = `${out.slice(0, e.at)}${e.insert}${out.slice(e.at + e.remove)}`;
  return { ok: true, source: out };
}
