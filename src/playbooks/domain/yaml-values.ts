import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import { keyText, MAX_YAML_DEPTH, type YamlLocator, type YamlStructureProblem } from './yaml-locator.js';

/** How many values aliases may add to a document beyond those it spells out. */
export const MAX_ALIAS_EXPANSION = 100_000;

interface Converted {
  value: unknown;
  /** Values in the subtree, each alias counted as what it stands for. */
  size: number;
  /** Levels below the node, through aliases. */
  height: number;
}

/**
 * The plain data of a document that `indexYamlDocument` found no problem in: mappings become
 * objects, lists arrays, scalars their values. An alias gives the very value of its anchor, so a
 * document of nested aliases (the "billion laughs") costs no more to convert than to read; what it
 * would cost every later walk is bounded instead: aliases may add at most `MAX_ALIAS_EXPANSION`
 * values to those the document spells out, and may not nest it deeper than `MAX_YAML_DEPTH`.
 */
export function plainValue(
  doc: Document,
  locator: YamlLocator,
): { ok: true; value: unknown } | { ok: false; problem: YamlStructureProblem } {
  const limit = locator.nodeCount + MAX_ALIAS_EXPANSION;
  const anchored = new WeakMap<Node, Converted>();
  let expanded = 0;
  let problem: YamlStructureProblem | undefined;

  const fail = (node: unknown, message: string): Converted => {
    problem ??= { offset: (node as { range?: [number] }).range?.[0] ?? 0, message };
    return { value: null, size: 0, height: 0 };
  };

  const convert = (node: unknown, depth: number): Converted => {
    if (problem) return { value: null, size: 0, height: 0 };
    if (isAlias(node)) {
      const target = locator.aliasTarget(node);
      if (!target) return fail(node, `unknown alias "*${node.source}"`);
      const known = anchored.get(target) ?? convert(target, depth);
      expanded += known.size;
      if (expanded > limit) {
        return fail(
          node,
          `aliases expand the document by more than ${MAX_ALIAS_EXPANSION.toLocaleString('en')} values`,
        );
      }
      if (depth + known.height > MAX_YAML_DEPTH) {
        return fail(node, `aliases nest the document more than ${MAX_YAML_DEPTH} levels deep`);
      }
      return known;
    }
    expanded++;
    const before = expanded;
    let converted: Converted;
    if (isMap(node)) {
      const value: Record<string, unknown> = {};
      let height = 0;
      for (const pair of node.items) {
        const key = keyText(pair.key) as string;
        const child = convert(pair.value, depth + 1);
        height = Math.max(height, child.height + 1);
        // `__proto__` is an ordinary key in YAML: define it, so it cannot replace the prototype.
        if (key === '__proto__') {
          Object.defineProperty(value, key, { value: child.value, enumerable: true, writable: true });
        } else {
          value[key] = child.value;
        }
      }
      converted = { value, size: 0, height };
    } else if (isSeq(node)) {
      const value: unknown[] = [];
      let height = 0;
      for (const item of node.items) {
        const child = convert(item, depth + 1);
        height = Math.max(height, child.height + 1);
        value.push(child.value);
      }
      converted = { value, size: 0, height };
    } else {
      converted = { value: isScalar(node) ? node.value : null, size: 0, height: 0 };
    }
    converted.size = expanded - before + 1;
    if ((node as Node | null)?.anchor) anchored.set(node as Node, converted);
    return converted;
  };

  const { value } = convert(doc.contents, 0);
  return problem ? { ok: false, problem } : { ok: true, value };
}
