import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { pointer, tokens } from './json-pointer.js';

/** A 1-based line and column in the source text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Finds source positions for JSON pointers into a parsed YAML document, and the reverse. */
export interface YamlLocator {
  /**
   * Where the node at `path` starts. With `target: 'key'` the position of the mapping key is given
   * instead of its value (used for "unknown key" errors). A path that does not exist resolves to its
   * nearest existing ancestor.
   */
  position(path: string, target?: 'key' | 'value'): SourcePosition;
  /** The pointer of the deepest node whose source range contains `offset` (for YAML syntax errors). */
  pathAt(offset: number): string;
  /** Converts a character offset to a line and column. */
  offsetToPosition(offset: number): SourcePosition;
}

type AnyNode = Node | null | undefined;

/** Builds a locator over a document parsed with `lineCounter`. */
export function createYamlLocator(doc: Document, lineCounter: LineCounter): YamlLocator {
  const offsetToPosition = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const resolve = (node: unknown): AnyNode => {
    if (isAlias(node)) return node.resolve(doc) as AnyNode;
    return node as AnyNode;
  };

  const keyText = (key: unknown): string | undefined => {
    if (isScalar(key)) return String(key.value);
    if (typeof key === 'string' || typeof key === 'number') return String(key);
    return undefined;
  };

  const startOf = (node: unknown): number | undefined => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range?.[0];
  };

  const position = (path: string, target: 'key' | 'value' = 'value'): SourcePosition => {
    let node: AnyNode = resolve(doc.contents);
    let best = startOf(node) ?? 0;
    const parts = tokens(path);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const last = i === parts.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === part);
        if (!pair) break;
        const keyStart = startOf(pair.key);
        if (last && target === 'key' && keyStart !== undefined) return offsetToPosition(keyStart);
        node = resolve(pair.value);
        best = startOf(node) ?? keyStart ?? best;
        if (!node) break;
      } else if (isSeq(node)) {
        const item = resolve(node.items[Number(part)]);
        if (!/^\d+$/.test(part) || !item) break;
        node = item;
        best = startOf(node) ?? best;
      } else {
        break;
      }
    }
    return offsetToPosition(best);
  };

  const contains = (node: unknown, offset: number): boolean => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return !!range && range[0] <= offset && offset <= range[2];
  };

  const pathAt = (offset: number): string => {
    const path: (string | number)[] = [];
    let node: AnyNode = doc.contents;
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && (contains(p.key, offset) || contains(p.value, offset)),
        );
        const name = pair ? keyText(pair.key) : undefined;
        if (!pair || name === undefined) break;
        path.push(name);
        if (!contains(pair.value, offset)) break;
        node = pair.value as AnyNode;
      } else if (isSeq(node)) {
        const index = node.items.findIndex((item) => contains(item, offset));
        if (index < 0) break;
        path.push(index);
        node = node.items[index] as AnyNode;
      } else {
        break;
      }
    }
    return pointer(path);
  };

  return { position, pathAt, offsetToPosition };
}
