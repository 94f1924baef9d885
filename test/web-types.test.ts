import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { authenticateRequest } from '../src/identity/authenticate-request.js';
import { ManualClock } from '../src/kernel/clock.js';
import type { Store } from '../src/kernel/db/dialect.js';
import { buildApp } from '../src/kernel/http/build-app.js';
import { appDeps } from '../src/server/app-deps.js';
import { ALL_ROUTES } from '../src/server/routes.js';

const ROOT = join(import.meta.dirname, '..');
const WEB = join(ROOT, 'web', 'src');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourcesUnder(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const parse = (file: string) =>
  ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);

/** Every object type the web UI writes out, with the names of its members. */
function objectTypesIn(file: string): { where: string; members: string[] }[] {
  const source = parse(file);
  const found: { where: string; members: string[] }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) {
      const members = node.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : []));
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push({ where: `${relative(ROOT, file)}:${line + 1}`, members });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The property names of every object schema in the served OpenAPI document, by where it is. */
async function serverObjectSchemas(): Promise<{ name: string; properties: Set<string> }[]> {
  const app = await buildApp({
    deps: appDeps({ store: {} as Store, clock: new ManualClock() }),
    routes: ALL_ROUTES,
    authenticate: authenticateRequest,
  });
  await app.ready();
  const doc = app.swagger() as Record<string, unknown>;
  await app.close();
  const out: { name: string; properties: Set<string> }[] = [];
  const walk = (value: unknown, at: string) => {
    if (!value || typeof value !== 'object') return;
    const properties = (value as { properties?: unknown }).properties;
    if (properties && typeof properties === 'object' && !Array.isArray(properties))
      out.push({ name: at, properties: new Set(Object.keys(properties)) });
    for (const [key, inner] of Object.entries(value)) walk(inner, `${at}/${key}`);
  };
  walk(doc, '#');
  return out;
}

describe("the web UI's types", () => {
  it('types.ts only re-exports the types of the server’s schemas', () => {
    const file = join(WEB, 'types.ts');
    const problems = parse(file)
      .statements.filter(
        (s) =>
          !(
            ts.isExportDeclaration(s) &&
            s.isTypeOnly &&
            s.moduleSpecifier &&
            ts.isStringLiteral(s.moduleSpecifier) &&
            s.moduleSpecifier.text.startsWith('../../src/')
          ),
      )
      .map((s) => s.getText().split('\n')[0]);
    expect(
      problems,
      'statements of web/src/types.ts that are not `export type { … } from "../../src/…"`',
    ).toEqual([]);
  });

  it('web/src writes out no copy of a server schema, whole or in part', async () => {
    const schemas = await serverObjectSchemas();
    expect(schemas.length).toBeGreaterThan(50);
    const copies: string[] = [];
    for (const file of sourcesUnder(WEB)) {
      for (const type of objectTypesIn(file)) {
        if (type.members.length < 3) continue;
        const copied = schemas.find((s) => type.members.every((m) => s.properties.has(m)));
        if (copied) copies.push(`${type.where} {${type.members.join(', ')}} copies ${copied.name}`);
      }
    }
    expect(copies, 'import the type from web/src/types.ts instead').toEqual([]);
  });
});
