import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/identity/domain/token.js';
import { authenticateToken } from '../src/identity/use-cases/authenticate-token.js';
import { ManualClock } from '../src/kernel/clock.js';
import { openStore, type Store } from '../src/kernel/db/dialect.js';
import { migrateToLatest } from '../src/kernel/db/migrate.js';
import * as m0001 from '../src/kernel/db/migrations/0001-initial.js';
import * as m0002 from '../src/kernel/db/migrations/0002-sessions.js';
import * as m0003 from '../src/kernel/db/migrations/0003-checkpoints.js';
import * as m0004 from '../src/kernel/db/migrations/0004-record-indexes.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { appDeps } from '../src/server/app-deps.js';
import { call, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, freshDatabaseUrl, openTestStore } from './support/stores.js';

describe.each(DIALECTS)('API token scopes on %s', (dialect) => {
  let store: Store;
  let app: Api;
  let org: TestOrg;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    const made = await testApp(store);
    app = made.app;
    org = await seedOrg(made.deps, 'Scopes Co');
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('gives a token the scopes asked for, lists them, and holds it to them', async () => {
    const made = await call(app, org.sales)('POST', '/api/v1/tokens', {
      name: 'reporting',
      scopes: ['read'],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.scopes).toEqual(['read']);
    const listed = await call(app, org.sales)('GET', '/api/v1/tokens');
    expect(listed.body.items.find((t: { id: string }) => t.id === made.body.id).scopes).toEqual(['read']);
    const readOnly = call(app, made.body.token);
    expect((await readOnly('GET', '/api/v1/accounts')).status).toBe(200);
    expect((await readOnly('GET', '/api/v1/me')).body.scopes).toEqual(['read']);
    const refused = await readOnly('POST', '/api/v1/accounts', { name: 'Nope Ltd' });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe(
      'This API token lacks the records scope, which POST /api/v1/accounts needs.',
    );
    expect(refused.body.required_scope).toBe('records');
  });

  it('never lets a token make a token wider than itself; by default a new one has its maker’s scopes', async () => {
    const narrow = (
      await call(app, org.admin)('POST', '/api/v1/tokens', { name: 'admin tasks', scopes: ['admin', 'read'] })
    ).body;
    expect(narrow.scopes).toEqual(['read', 'admin']);
    const byDefault = await call(app, narrow.token)('POST', '/api/v1/tokens', { name: 'child' });
    expect(byDefault.status).toBe(201);
    expect(byDefault.body.scopes).toEqual(['read', 'admin']);
    const wider = await call(app, narrow.token)('POST', '/api/v1/tokens', {
      name: 'wider',
      scopes: ['records', 'lifecycle', 'read'],
    });
    expect(wider.status).toBe(403);
    expect(wider.body.detail).toBe(
      'This API token may not create a token with scopes it lacks: lifecycle, records.',
    );
    for (const scopes of [[], ['everything'], ['read', 'read']]) {
      const bad = await call(app, org.admin)('POST', '/api/v1/tokens', { name: 'bad', scopes });
      expect(bad.status, JSON.stringify(scopes)).toBe(400);
      expect(bad.body.errors[0].path).toMatch(/^\/scopes/);
    }
  });

  it('describes the scope each operation needs in the OpenAPI document', async () => {
    const doc = (await call(app, null)('GET', '/api/v1/openapi.json')).body;
    expect(doc.components.securitySchemes.bearer.description).toMatch(/`records`: accounts, contacts/);
    expect(doc.paths['/api/v1/accounts'].post.security).toEqual([{ bearer: ['records'] }, { session: [] }]);
    expect(doc.paths['/api/v1/accounts'].get.security).toEqual([{ bearer: ['read'] }, { session: [] }]);
    expect(doc.paths['/api/v1/handoffs/{id}/submit'].post.security).toEqual([
      { bearer: ['lifecycle'] },
      { session: [] },
    ]);
    expect(doc.paths['/api/v1/users'].post.security).toEqual([{ bearer: ['admin'] }, { session: [] }]);
  });
});

describe.each(DIALECTS)('migration 0005 on %s', (dialect) => {
  it('keeps every scope for the tokens made before scopes, and the failed sign-ins of the window', async () => {
    const store = openStore(await freshDatabaseUrl(dialect));
    // The schema as it was before migration 0005, with an organisation, a user and a token.
    const before: Record<string, Migration> = {
      '0001-initial': m0001,
      '0002-sessions': m0002,
      '0003-checkpoints': m0003,
      '0004-record-indexes': m0004,
    };
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: async () => before },
      migrationTableName: 'baton_migrations',
      migrationLockTableName: 'baton_migrations_lock',
    });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    // biome-ignore lint/suspicious/noExplicitAny: the schema as it was at 0004
    const db = store.db as unknown as Kysely<any>;
    const at = '2026-01-05T10:00:00.000Z';
    await db
      .insertInto('organisations')
      .values({
        id: 'o1',
        slug: 'old',
        name: 'Old Co',
        time_zone: 'UTC',
        audit_seq: 0,
        audit_head: '',
        created_at: at,
      })
      .execute();
    await db
      .insertInto('users')
      .values({ id: 'u1', org_id: 'o1', email: 'old@old.test', name: 'Old', role: 'admin', created_at: at })
      .execute();
    const token = 'bat_made-before-scopes-existed';
    await db
      .insertInto('api_tokens')
      .values({
        id: 't1',
        org_id: 'o1',
        user_id: 'u1',
        name: 'old',
        token_hash: hashToken(token),
        prefix: 'bat_made-b',
        created_at: at,
      })
      .execute();
    await db
      .insertInto('sign_in_attempts')
      .values({ id: 'a1', email: 'old@old.test', client: '192.0.2.1', at })
      .execute();

    await migrateToLatest(store.db);
    const principal = await authenticateToken(appDeps({ store, clock: new ManualClock() }), token);
    expect(principal?.scopes).toEqual(['read', 'lifecycle', 'records', 'admin']);
    const attempts = await sql<{
      subject: string;
      client: string;
    }>`SELECT subject, client FROM auth_attempts`.execute(db);
    expect(attempts.rows).toEqual([{ subject: 'email:old@old.test', client: '192.0.2.1' }]);
    await store.close();
  });
});
