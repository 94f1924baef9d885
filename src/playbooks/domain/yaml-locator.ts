import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
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
  /** The node an alias stands for: the last node anchored with its name before it. */
  aliasTarget(alias: Alias): Node | undefined;
  /** The first pair of a mapping with this key text. */
  pairOf(map: YAMLMap, key: string): Pair | undefined;
  /** How many nodes the document spells out (aliases count once, not as what they stand for). */
  readonly nodeCount: number;
}

/** A problem of the document's structure that a YAML parser accepts: a duplicate key, a bad alias. */
export interface YamlStructureProblem {
  offset: number;
  message: string;
}

/** Deeper than any playbook needs (about twelve levels), shallow enough for recursive walks. */
export const MAX_YAML_DEPTH = 64;

type AnyNode = Node | null | undefined;
type Range = [number, number, number];

const rangeOf = (node: unknown): Range | undefined =>
  (node as { range?: Range | null } | null | undefined)?.range ?? undefined;
const startOf = (node: unknown): number | undefined => rangeOf(node)?.[0];
const contains = (node: unknown, offset: number): boolean => {
  const range = rangeOf(node);
  return !!range && range[0] <= offset && offset <= range[2];
};

/** The text of a mapping key as plain data sees it, or `undefined` for a list, mapping or alias key. */
export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return 'null';
  return undefined;
}

/**
 * Indexes a document parsed with `lineCounter` in one walk, so that every later lookup costs the
 * depth of its path rather than the size of the document: mappings by key, aliases by anchor.
 * The same walk finds what the parser lets through: duplicate keys, keys that are not plain text,
 * aliases with no anchor before them or inside the node they name, and nesting deeper than
 * `MAX_YAML_DEPTH`. Problems come in document order.
 */
export function indexYamlDocument(
  doc: Document,
  lineCounter: LineCounter,
): { locator: YamlLocator; problems: YamlStructureProblem[] } {
  const problems: YamlStructureProblem[] = [];
  const pairs = new WeakMap<YAMLMap, Map<string, Pair>>();
  const aliasTargets = new WeakMap<Alias, Node>();
  const anchors = new Map<string, Node>();
  // Nodes whose walk has begun and not ended: an alias to one of them would contain itself.
  const open = new Set<Node>();
  let nodeCount = 0;
  let tooDeep = false;

  // Iterative depth-first walk in document order; an `exit` entry closes a node.
  type Entry = { node: unknown; depth: number; exit?: true };
  const stack: Entry[] = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth, exit } = stack.pop() as Entry;
    if (exit) {
      open.delete(node as Node);
      continue;
    }
    if (node === null || node === undefined) continue;
    nodeCount++;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) {
        problems.push({
          offset: startOf(node) ?? 0,
          message: `unknown alias "*${node.source}": an anchor "&${node.source}" must come before it`,
        });
      } else if (open.has(target)) {
        problems.push({
          offset: startOf(node) ?? 0,
          message: `alias "*${node.source}" stands for a value that contains it`,
        });
      } else {
        aliasTargets.set(node, target);
      }
      continue;
    }
    const anchor = (node as Node).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_YAML_DEPTH) {
      if (!tooDeep) {
        problems.push({
          offset: startOf(node) ?? 0,
          message: `the document is nested more than ${MAX_YAML_DEPTH} levels deep`,
        });
      }
      tooDeep = true;
      continue;
    }
    open.add(node);
    stack.push({ node, depth, exit: true });
    const children: unknown[] = [];
    if (isMap(node)) {
      const byKey = new Map<string, Pair>();
      pairs.set(node, byKey);
      for (const pair of node.items) {
        const key = keyText(pair.key);
        if (key === undefined) {
          problems.push({
            offset: startOf(pair.key) ?? startOf(node) ?? 0,
            message: 'a mapping key must be plain text, not a list, a mapping or an alias',
          });
        } else if (byKey.has(key)) {
          problems.push({
            offset: startOf(pair.key) ?? startOf(node) ?? 0,
            message: `duplicate key "${key}" in the same mapping`,
          });
        } else {
          byKey.set(key, pair);
        }
        children.push(pair.key, pair.value);
      }
    } else {
      for (const item of node.items) children.push(item);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: depth + 1 });
  }

  const offsetToPosition = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const resolve = (node: unknown): AnyNode => (isAlias(node) ? aliasTargets.get(node) : (node as AnyNode));
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => pairs.get(map)?.get(key);

  const position = (path: string, target: 'key' | 'value' = 'value'): SourcePosition => {
    let node: AnyNode = resolve(doc.contents);
    let best = startOf(node) ?? 0;
    const parts = tokens(path);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const last = i === parts.length - 1;
      if (isMap(node)) {
        const pair = pairOf(node, part);
        if (!pair) break;
        const keyStart = startOf(pair.key);
        if (last && target === 'key' && keyStart !== undefined) return offsetToPosition(keyStart);
        node = resolve(pair.value);
        best = startOf(node) ?? keyStart ?? best;
        if (!node) break;
      } else if (isSeq(node)) {
        if (!/^\d+$/.test(part)) break;
        const item = resolve(node.items[Number(part)]);
        if (!item) break;
        node = item;
        best = startOf(node) ?? best;
      } else {
        break;
      }
    }
    return offsetToPosition(best);
  };

  // Item start offsets per collection, for a binary search by offset.
  const starts = new WeakMap<YAMLMap | YAMLSeq, { start: number; index: number }[]>();
  const startsOf = (collection: YAMLMap | YAMLSeq) => {
    let known = starts.get(collection);
    if (!known) {
      known = [];
      collection.items.forEach((item: unknown, index: number) => {
        const start = isMap(collection)
          ? (startOf((item as Pair).key) ?? startOf((item as Pair).value))
          : startOf(item);
        if (start !== undefined) known?.push({ start, index });
      });
      known.sort((a, b) => a.start - b.start || a.index - b.index);
      starts.set(collection, known);
    }
    return known;
  };
  /** The item that starts last at or before `offset`: the only one that may contain it. */
  const itemAt = (collection: YAMLMap | YAMLSeq, offset: number): number | undefined => {
    const list = startsOf(collection);
    let low = 0;
    let high = list.length - 1;
    let found: number | undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const entry = list[mid] as { start: number; index: number };
      if (entry.start <= offset) {
        found = entry.index;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  };

  const pathAt = (offset: number): string => {
    const path: (string | number)[] = [];
    let node: AnyNode = doc.contents;
    for (;;) {
      if (isMap(node)) {
        const index = itemAt(node, offset);
        const pair = index === undefined ? undefined : node.items[index];
        if (!pair || !(contains(pair.key, offset) || contains(pair.value, offset))) break;
        const name = keyText(pair.key);
        if (name === undefined) break;
        path.push(name);
        if (!contains(pair.value, offset)) break;
        node = pair.value as AnyNode;
      } else if (isSeq(node)) {
        const index = itemAt(node, offset);
        if (index === undefined || !contains(node.items[index], offset)) break;
        path.push(index);
        node = node.items[index] as AnyNode;
      } else {
        break;
      }
    }
    return pointer(path);
  };

  const aliasTarget = (alias: Alias) => aliasTargets.get(alias);
  return {
    locator: { position, pathAt, offsetToPosition, aliasTarget, pairOf, nodeCount },
    problems,
  };
}
