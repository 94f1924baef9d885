/**
 * Names for the statements Baton sends again and again (those of `preparedQuery`), so that on
 * PostgreSQL each is parsed and planned once per connection rather than on every execution: the
 * PostgreSQL store sends a named statement as a prepared one (`openStore`). One name per SQL text,
 * the same on every connection; statements built per call stay unnamed, so a connection prepares
 * only the bounded set the code defines.
 *
 * @example
 *   nameStatement('select "id" from "handoffs" where "id" = $1'); // 'baton_1'
 *   statementName('select "id" from "handoffs" where "id" = $1'); // 'baton_1'
 */
const names = new Map<string, string>();

/** Gives `sql` a statement name (once), and answers it. */
export function nameStatement(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    name = `baton_${names.size + 1}`;
    names.set(sql, name);
  }
  return name;
}

/** The name given to `sql`, or undefined when it is a statement built per call. */
export function statementName(sql: string): string | undefined {
  return names.get(sql);
}
