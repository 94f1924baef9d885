import { NoResultError, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_PORTS } from '../../test/support/no-ports.js';
import { DIALECTS, openTestStore } from '../../test/support/stores.js';
import { deleteRowsById, insertRows } from './batch-writes.js';
import { inTransaction } from './context.js';
import type { Store } from './db/dialect.js';
import { Subscribers } from './events.js';
import { preparedInsert, preparedQuery } from './prepared-query.js';

const teamsOf = preparedQuery((db, v: { orgId: string; keys: string }) =>
  db
    .selectFrom('teams')
    .select(['key', 'name'])
    .where('org_id', '=', v.orgId)
    // A constant of the query itself, between two values.
    .where('key', '<>', 'nobody')
    .where('name', 'like', v.keys)
    .orderBy('key'),
);

const rename = preparedQuery((db, v: { id: string; name: string }) =>
  db
    .updateTable('teams')
    .set({ name: sql<string>`${v.name} || '!'` })
    .where('id', '=', v.id)
    .returning(['id', 'name']),
);

// Both databases run in this one process with the same prepared queries: each keeps a template
// per database, compiled by that database's dialect.
describe.each(DIALECTS)('prepared queries and batch writes on %s', (dialect) => {
  let store: Store;
  const orgId = `org-${dialect}`;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    await store.db
      .insertInto('organisations')
      .values({
        id: orgId,
        slug: orgId,
        name: 'Prepared',
        time_zone: 'UTC',
        audit_seq: 0,
        audit_head: '0'.repeat(64),
        created_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
  });
  afterAll(async () => store.close());

  const team = (n: number) => ({
    id: `${dialect}-team-${n}`,
    org_id: orgId,
    key: `k${String(n).padStart(3, '0')}`,
    name: `Team ${n}`,
    created_at: '2026-01-01T00:00:00.000Z',
  });

  it('inserts rows in order, in chunks, and deletes them by id', async () => {
    const rows = Array.from({ length: 250 }, (_, n) => team(n));
    await inTransaction(
      { store, clock: { now: () => new Date() }, subscribers: Subscribers.empty(), ports: NO_PORTS },
      (trx) => insertRows(trx, 'teams', rows),
    );
    const stored = await store.db
      .selectFrom('teams')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('key')
      .execute();
    expect(stored).toEqual(rows);
    await deleteRowsById(
      store.db,
      'teams',
      rows.slice(0, 240).map((r) => r.id),
    );
    expect((await teamsOf.rows(store.db, { orgId, keys: 'Team %' })).map((t) => t.key)).toEqual(
      rows.slice(240).map((r) => r.key),
    );
  });

  it('runs one template with each call’s values, constants kept', async () => {
    expect(await teamsOf.rows(store.db, { orgId, keys: 'Team 24_' })).toEqual(
      rows(240, 249).map((r) => ({ key: r.key, name: r.name })),
    );
    expect(await teamsOf.first(store.db, { orgId: 'no-such-org', keys: '%' })).toBeUndefined();
    await expect(teamsOf.firstOrThrow(store.db, { orgId: 'no-such-org', keys: '%' })).rejects.toBeInstanceOf(
      NoResultError,
    );
    expect(await rename.first(store.db, { id: team(245).id, name: 'Renamed' })).toEqual({
      id: team(245).id,
      name: 'Renamed!',
    });
  });

  it('leaves rows whose columns differ to Kysely', async () => {
    const { id, org_id, key, name, created_at } = team(901);
    await insertRows(store.db, 'teams', [team(900), { created_at, name, key, org_id, id }]);
    const one = preparedInsert('teams', ['id', 'org_id', 'key', 'name', 'created_at'], 1);
    await one.rows(store.db, [team(902)]);
    expect((await teamsOf.rows(store.db, { orgId, keys: 'Team 90_' })).map((t) => t.key)).toEqual([
      'k900',
      'k901',
      'k902',
    ]);
  });

  it('refuses a value used to shape the query', async () => {
    const shaped = preparedQuery((db, v: { orgId: string; all: boolean }) =>
      v.all
        ? db.selectFrom('teams').selectAll()
        : db.selectFrom('teams').selectAll().where('org_id', '=', v.orgId),
    );
    await expect(shaped.rows(store.db, { orgId, all: true })).rejects.toThrow(
      /uses all other than as values/,
    );
  });

  const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, n) => team(from + n));
});

describe('prepared queries on PostgreSQL', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('postgres');
  });
  afterAll(async () => store.close());

  it('are parsed and planned once per connection, as named statements; queries built per call are not', async () => {
    const prepared = await store.db.transaction().execute(async (trx) => {
      await teamsOf.rows(trx, { orgId: 'nobody', keys: '%' });
      await teamsOf.rows(trx, { orgId: 'still nobody', keys: 'x%' });
      await trx.selectFrom('teams').select('id').where('key', '=', 'built per call').execute();
      return sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`
        .execute(trx)
        .then((r) => r.rows);
    });
    const named = prepared.filter((p) => p.statement.includes('"teams"'));
    expect(named).toHaveLength(1);
    expect(named[0]!.name).toMatch(/^baton_\d+$/);
    expect(named[0]!.statement).toContain('like $');
  });
});
