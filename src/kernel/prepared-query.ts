import {
  type Compilable,
  type CompiledQuery,
  createQueryId,
  type InsertQueryBuilder,
  NoResultError,
  type QueryNode,
} from 'kysely';
import type { Db } from './context.js';
import type { Database } from './db/schema.js';
import { nameStatement } from './db/statement-names.js';

/**
 * Queries whose shape never changes, only their values. Kysely builds and compiles a query anew
 * on every call, which costs more than SQLite takes to run a short statement; a prepared query
 * is built and compiled once per database, with placeholders where its values go, and each call
 * runs that SQL with the call's values.
 */

/** A query Kysely built and compiled once, run with new values on each call. */
export interface PreparedQuery<V, R> {
  /** Every row the query answers (none for a write without RETURNING). */
  rows(db: Db, values: V): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Db, values: V): Promise<R | undefined>;
  /** The first row, or Kysely's `NoResultError` as `executeTakeFirstOrThrow` throws it. */
  firstOrThrow(db: Db, values: V): Promise<R>;
}

/**
 * Prepares the query `build` makes. `build` may use the values it is handed only as values
 * (compared, inserted, set), never to decide the query's shape: while the template is built
 * each is a placeholder. Baton's Kysely instances carry no plugins (which would have to be
 * applied anew).
 *
 * Example:
 * ```ts
 * const teamById = preparedQuery((db, v: { orgId: string; id: string }) =>
 *   db.selectFrom('teams').selectAll().where('org_id', '=', v.orgId).where('id', '=', v.id),
 * );
 * const team = await teamById.first(trx, { orgId, id });
 * ```
 */
export function preparedQuery<V extends object, R>(
  build: (db: Db, values: V) => Compilable<R>,
): PreparedQuery<V, R> {
  return prepare<V, R>(
    (db) => {
      const used = new Set<string>();
      const placeholders = new Proxy({} as V, {
        get: (_target, name) => {
          if (typeof name !== 'string') return undefined;
          used.add(name);
          return new Placeholder(name);
        },
      });
      return { compiled: build(db, placeholders).compile(), used };
    },
    (name) => (values) => (values as Record<string, unknown>)[name],
  );
}

/**
 * Prepares a multi-row INSERT of `count` rows into `table`, each with exactly `columns`; its
 * values are the rows (plain values, no expressions), in order. `finish` adds what follows the
 * values (ON CONFLICT, RETURNING).
 */
export function preparedInsert<R = unknown>(
  table: keyof Database & string,
  columns: readonly string[],
  count: number,
  // biome-ignore lint/suspicious/noExplicitAny: the insert is of any table; the caller types its rows
  finish: (insert: InsertQueryBuilder<Database, any, any>) => Compilable<R> = (insert) => insert,
): PreparedQuery<readonly Record<string, unknown>[], R> {
  return prepare<readonly Record<string, unknown>[], R>(
    (db) => {
      const used = new Set<string>();
      const rows = Array.from({ length: count }, (_, row) =>
        Object.fromEntries(
          columns.map((column) => {
            used.add(`${row}.${column}`);
            return [column, new Placeholder(`${row}.${column}`)];
          }),
        ),
      );
      return { compiled: finish(db.insertInto(table).values(rows as never)).compile(), used };
    },
    (name) => {
      const dot = name.indexOf('.');
      const row = Number(name.slice(0, dot));
      const column = name.slice(dot + 1);
      return (rows) => rows[row]![column];
    },
  );
}

/**
 * Prepared queries of one family whose shape varies with a few things (the columns a change sets,
 * the rows in a batch): each shape is prepared on first use and kept, at most `max` shapes.
 *
 * Example: `const updateOf = preparedByShape((columns: string[]) => columns.join(), (columns) =>
 * preparedQuery(...))`, then `await updateOf(Object.keys(changes)).first(trx, values)`.
 */
export function preparedByShape<S, V, R>(
  keyOf: (shape: S) => string,
  make: (shape: S) => PreparedQuery<V, R>,
  max = 1000,
): (shape: S) => PreparedQuery<V, R> {
  const made = new Map<string, PreparedQuery<V, R>>();
  return (shape) => {
    const key = keyOf(shape);
    let query = made.get(key);
    if (!query) {
      if (made.size >= max) made.delete(made.keys().next().value as string);
      query = make(shape);
      made.set(key, query);
    }
    return query;
  };
}

/** The entries whose value is defined: as Kysely's `set()` treats them, a change to undefined is no change. */
export function definedEntries(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/** Stands for one named value while a template is built. */
class Placeholder {
  constructor(readonly name: string) {}
}

interface Template<V> {
  sql: string;
  query: CompiledQuery['query'];
  /** Per parameter, how a call's values give it (a constant of the query gives itself). */
  slots: ((values: V) => unknown)[];
}

function prepare<V, R>(
  compileTemplate: (db: Db) => { compiled: CompiledQuery<R>; used: ReadonlySet<string> },
  slotOf: (name: string) => (values: V) => unknown,
): PreparedQuery<V, R> {
  // Compiled SQL depends on the dialect: one template per Kysely instance's adapter, which the
  // instance's transactions share.
  const templates = new WeakMap<object, Template<V>>();
  const compiled = (db: Db, values: V): CompiledQuery<R> => {
    const adapter = db.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) {
      const { compiled: made, used } = compileTemplate(db);
      const bound = new Set(made.parameters.flatMap((p) => (p instanceof Placeholder ? [p.name] : [])));
      const unbound = [...used].filter((name) => !bound.has(name));
      // A value read to shape the query, or turned into something other than a parameter.
      if (unbound.length) throw new Error(`Prepared query uses ${unbound.join(', ')} other than as values`);
      template = {
        sql: made.sql,
        query: made.query,
        slots: made.parameters.map((p) => (p instanceof Placeholder ? slotOf(p.name) : () => p)),
      };
      templates.set(adapter, template);
      nameStatement(template.sql);
    }
    return {
      sql: template.sql,
      query: template.query,
      parameters: template.slots.map((slot) => slot(values)),
      queryId: createQueryId(),
    };
  };
  const rows = async (db: Db, values: V) => (await db.executeQuery(compiled(db, values))).rows;
  return {
    rows,
    first: async (db, values) => (await rows(db, values))[0],
    firstOrThrow: async (db, values) => {
      const query = compiled(db, values);
      const [row] = (await db.executeQuery(query)).rows;
      if (row === undefined) throw new NoResultError(query.query as QueryNode);
      return row;
    },
  };
}
