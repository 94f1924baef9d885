// Checks the folder rules of src/ (docs/design-folders.md) and names every violation by its rule
// and its import; exits 1 on any. The rules are dependency-cruiser's, in .dependency-cruiser.cjs,
// plus one it cannot say (its cycles are between modules or between nested folders): no import
// cycle between top-level folders of src/, computed here from the same cruise.
//
//   node scripts/check-folders.mjs              checks this checkout's src/
//   node scripts/check-folders.mjs --root DIR   checks DIR/src with this checkout's rules
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const require = createRequire(import.meta.url);
const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rootAt = process.argv.indexOf('--root');
const root = rootAt > 0 ? resolve(process.argv[rootAt + 1]) : here;
process.chdir(root);

const options = await extractDepcruiseOptions(join(here, '.dependency-cruiser.cjs'));
// This checkout's TypeScript settings resolve the imports (`./x.js` is `./x.ts`), whatever the root.
const tsConfigFile = join(here, 'tsconfig.json');
options.tsConfig = { fileName: tsConfigFile };
const { output: result } = await cruise(
  ['src'],
  { ...options, validate: true, outputType: 'json' },
  {},
  { tsConfig: extractTSConfig(tsConfigFile) },
);
const { modules, summary } = JSON.parse(result);

const { PLATFORM, TOP } = require(join(here, '.dependency-cruiser.cjs')).floors;
const comments = new Map(options.ruleSet.forbidden.map((rule) => [rule.name, rule.comment]));
comments.set(
  'no-folder-cycle',
  'No two top-level folders of src/ import each other, directly or around a loop: break the loop by handing a function in from src/server/, moving the shared piece down a floor, or publishing an event.',
);

/** Every violation, grouped by rule: its lines, each naming the import. */
const byRule = new Map();
const report = (rule, line) => {
  if (!byRule.has(rule)) byRule.set(rule, []);
  byRule.get(rule).push(line);
};

/** A module as people name it: a package by its name, a file of src/ by its path. */
const shown = (path) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path;

for (const v of summary.violations) {
  if (v.rule.severity !== 'error') continue;
  const typeOnly = v.dependencyTypes?.includes('type-only') ? ' (type-only)' : '';
  if (v.via?.length) {
    const path = [v.from, ...v.via.map((d) => d.name)].map(shown).join(' → ');
    report(v.rule.name, `${v.from} reaches ${shown(v.to)}: ${path}`);
  } else if (v.from === v.to) {
    report(v.rule.name, v.from);
  } else {
    report(v.rule.name, `${v.from} imports ${shown(v.to)}${typeOnly}`);
  }
}

// Folder cycles: the strongly connected components of the graph of top-level folders.
const folderOf = (path) => (/^src\/[^/]+\//.test(path) ? path.split('/')[1] : null);
/** from folder → to folder → the imports that make the edge */
const edges = new Map();
for (const m of modules) {
  const from = folderOf(m.source);
  if (!from) continue;
  for (const d of m.dependencies) {
    const to = folderOf(d.resolved);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    const out = edges.get(from);
    if (!out.has(to)) out.set(to, []);
    out.get(to).push(`${m.source} imports ${d.resolved}`);
  }
}
for (const component of stronglyConnected(edges)) {
  const inside = new Set(component);
  const lines = [
    `${component.join(', ')} import one another, e.g. ${shortestLoop(edges, component[0], inside).join(' → ')}`,
  ];
  // Every edge inside the component lies on a loop; those that point up or sideways are the ones
  // the floors refuse, and removing them breaks it.
  lines.push('    the imports that point up or sideways:');
  for (const from of component) {
    for (const [to, imports] of [...(edges.get(from) ?? [])].sort()) {
      if (!inside.has(to) || floorOf(to) < floorOf(from)) continue;
      const more = imports.length > 1 ? ` (and ${imports.length - 1} more)` : '';
      lines.push(`    ${from} → ${to}: ${imports.sort()[0]}${more}`);
    }
  }
  report('no-folder-cycle', lines.join('\n'));
}

const count = [...byRule.values()].reduce((n, lines) => n + lines.length, 0);
if (count === 0) {
  console.log(`Folder rules: no violations (${summary.totalCruised} modules).`);
  process.exit(0);
}
const out = [];
for (const [rule, lines] of [...byRule].sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))) {
  out.push(`✗ ${rule}: ${lines.length} violation${lines.length === 1 ? '' : 's'}`);
  out.push(`  ${comments.get(rule) ?? ''}`);
  for (const line of lines.sort()) out.push(`  ${rule}: ${line}`);
  out.push('');
}
out.push(
  `Folder rules: ${count} violation${count === 1 ? '' : 's'} (docs/design-folders.md says how to read them).`,
);
console.error(out.join('\n'));
process.exit(1);

/** How high a folder stands: the kernel, each platform service in its order, features, the top. */
function floorOf(folder) {
  if (folder === 'kernel') return 0;
  const service = PLATFORM.indexOf(folder);
  if (service >= 0) return 1 + service;
  return TOP.includes(folder) ? 2 + PLATFORM.length : 1 + PLATFORM.length;
}

/** Cycles first, then the rules in the order the configuration lists them. */
function order(rule) {
  if (rule === 'no-folder-cycle') return -1;
  const at = options.ruleSet.forbidden.findIndex((r) => r.name === rule);
  return at < 0 ? 1000 : at;
}

/** Tarjan's algorithm: the components of more than one folder, each sorted, in a stable order. */
function stronglyConnected(graph) {
  const nodes = [...new Set([...graph.keys(), ...[...graph.values()].flatMap((m) => [...m.keys()])])].sort();
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of [...(graph.get(v)?.keys() ?? [])].sort()) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The shortest way from `start` back to itself inside one component (breadth first). */
function shortestLoop(graph, start, inside) {
  const previous = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of [...(graph.get(v)?.keys() ?? [])].sort()) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let at = v; at !== start; at = previous.get(at)) path.unshift(at);
        path.unshift(start);
        return path;
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}
