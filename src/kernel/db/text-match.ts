import { type RawBuilder, sql } from 'kysely';
import type { DialectName } from './dialect.js';

/**
 * Case-insensitive text matching that answers the same on SQLite and PostgreSQL. SQLite's
 * `lower()` folds the letters A–Z only; PostgreSQL's follows the database's locale, which differs
 * from one server to the next. So PostgreSQL folds under the `C` collation, A–Z only too, and the
 * user's text is folded the same way here: both databases then compare the same bytes. (Accented
 * capitals are compared as written: `É` finds `É`, not `é`; see
 * docs/decisions/0010-ui-search-ascii-case-folding.md.)
 */

/** Folds A–Z to a–z and leaves every other character as it is, as `foldedColumn` does in SQL. */
export function foldCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * The text as a LIKE pattern that means its characters: `%`, `_` and the escape `\` escaped.
 *
 * @example escapeLike('50%_off') // → '50\\%\\_off' (used with `escape '\'`)
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A column folded as `foldCase` folds, in the dialect's spelling. */
function foldedColumn(dialect: DialectName, column: string): RawBuilder<string> {
  return dialect === 'postgres' ? sql`lower(${sql.ref(column)} collate "C")` : sql`lower(${sql.ref(column)})`;
}

/** How well a record matched: its text starts with the query, a word of it does, or it contains it. */
export type MatchRank = 0 | 1 | 2;

/**
 * The condition that one of `columns` contains `text` in any case, and the rank of each match
 * (0: a column starts with it, 1: a word in a column does, 2: it is inside), to order by.
 *
 * @example
 *   const m = textMatch(store.dialect, 'Har', ['accounts.name']);
 *   db.selectFrom('accounts').where(m.matches).orderBy(m.rank).orderBy('name')
 */
export function textMatch(
  dialect: DialectName,
  text: string,
  columns: readonly string[],
): { matches: RawBuilder<boolean>; rank: RawBuilder<MatchRank> } {
  const folded = columns.map((column) => foldedColumn(dialect, column));
  const needle = escapeLike(foldCase(text));
  const anyLike = (pattern: string) =>
    sql.join(
      folded.map((column) => sql`${column} like ${pattern} escape '\\'`),
      sql` or `,
    );
  return {
    matches: sql<boolean>`(${anyLike(`%${needle}%`)})`,
    rank: sql<MatchRank>`(case when ${anyLike(`${needle}%`)} then 0 when ${anyLike(`% ${needle}%`)} then 1 else 2 end)`,
  };
}
