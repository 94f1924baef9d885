import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revealVaultSecret } from '../src/closeout/use-cases/vault-reveal-secret.js';
import { bindingOf, sealedOf } from '../src/closeout/vault-records.js';
import { loadPrincipal } from '../src/identity/use-cases/load-principal.js';
import type { Deps } from '../src/kernel/context.js';
import { inTransaction } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { appDeps } from '../src/server/app-deps.js';
import { missingKeks, openSecret, requireEveryKek, rewrapDataKeys } from '../src/vault/data-keys.js';
import { VaultIntegrityError } from '../src/vault/envelope.js';
import { type Keyring, memoryKeyring } from '../src/vault/keyring.js';
import { call, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, openTestStore, sealAll } from './support/stores.js';

const OLD: [string, Buffer] = ['kek-old', randomBytes(32)];

/** Flips one bit of a base64 value. */
function flipBit(base64: string, bit = 0): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return bytes.toString('base64');
}

describe.each(DIALECTS)('the credential vault on %s', (dialect) => {
  let store: Store & { url: string };
  let app: Api;
  let deps: Deps;
  let a: TestOrg;
  let b: TestOrg;
  let engagementId: string;
  let otherEngagementId: string;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    ({ app, deps } = await testApp(store, undefined, { vaultKeys: memoryKeyring([OLD]) }));
    a = await seedOrg(deps, 'Vault Integrations');
    b = await seedOrg(deps, 'Other Org');
    const sales = call(app, a.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
    engagementId = (await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'Site' }))
      .body.id;
    const other = await call(app, b.sales)('POST', '/api/v1/accounts', { name: 'Elsewhere' });
    otherEngagementId = (
      await call(app, b.sales)('POST', '/api/v1/engagements', { account_id: other.body.id, name: 'Other' })
    ).body.id;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const vault = (id = engagementId) => `/api/v1/engagements/${id}/vault`;
  const add = async (system: string, secret: string) => {
    const res = await call(app, a.operations)('POST', vault(), {
      system,
      username: 'admin',
      url: 'https://bms.example.test',
      secret,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const reveal = (token: string, id: string, body: unknown = { reason: 'Service visit' }) =>
    call(app, token)('POST', `${vault()}/${id}/reveal`, body);

  it('stores an entry with its secret sealed, lists and reads it masked, edits it', async () => {
    const id = await add('Building controller', 'hunter2-controller');
    const row = await store.db
      .selectFrom('vault_entries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('hunter2-controller');
    expect(Buffer.from(row.secret_iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(row.secret_tag, 'base64')).toHaveLength(16);

    const list = await call(app, a.viewer)('GET', vault());
    expect(list.status).toBe(200);
    expect(list.body.items.find((e: { id: string }) => e.id === id)).toMatchObject({
      system: 'Building controller',
      username: 'admin',
      secret: '••••••••',
    });
    const one = await call(app, a.sales)('GET', `${vault()}/${id}`);
    expect(one.body.secret).toBe('••••••••');

    const edited = await call(app, a.sales)('PATCH', `${vault()}/${id}`, {
      notes: 'Rack 2',
      secret: 'new-pass-1',
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ notes: 'Rack 2', secret: '••••••••' });
    expect((await reveal(a.service, id)).body.secret).toBe('new-pass-1');
    const after = await store.db
      .selectFrom('vault_entries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after.secret_iv).not.toBe(row.secret_iv);
  });

  it('refuses bad input naming every problem, and other organisations see nothing', async () => {
    const bad = await call(app, a.sales)('POST', vault(), { system: ' ', secret: '' });
    expect(bad.status).toBe(400);
    expect(bad.raw.headers['content-type']).toContain('application/problem+json');
    const paths = (bad.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/secret']));
    const blank = await call(app, a.sales)('POST', vault(), { system: '   ', secret: 'x' });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toEqual([{ path: '/system', message: 'must not be blank' }]);

    const id = await add('Camera NVR', 'nvr-pass');
    expect((await call(app, b.admin)('GET', `${vault()}/${id}`)).status).toBe(404);
    expect((await call(app, b.admin)('GET', vault())).status).toBe(404);
    expect((await call(app, b.admin)('POST', `${vault()}/${id}/reveal`, { reason: 'x' })).status).toBe(404);
    expect((await call(app, a.admin)('GET', `${vault(otherEngagementId)}/${id}`)).status).toBe(404);
  });

  it('reveals only to roles that may, for a stated reason, leaving one audit entry per reveal', async () => {
    const id = await add('Access control', 'door-pass-42');
    expect((await reveal(a.sales, id)).status).toBe(403);
    expect((await reveal(a.viewer, id)).status).toBe(403);
    const noReason = await reveal(a.operations, id, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e: { path: string }) => e.path)).toContain('/reason');
    expect((await reveal(a.operations, id, { reason: '   ' })).status).toBe(400);
    expect((await reveal(a.operations, id, { reason: 'x'.repeat(501) })).status).toBe(400);

    const N = 4;
    for (let n = 0; n < N; n++) {
      const res = await reveal(n % 2 ? a.service : a.admin, id, { reason: `Visit ${n}` });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ id, system: 'Access control', secret: 'door-pass-42' });
      expect(res.raw.headers['cache-control']).toBe('no-store');
    }
    await sealAll(store);
    const entries = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', id)
      .where('action', '=', 'vault.revealed')
      .orderBy('seq')
      .execute();
    expect(entries).toHaveLength(N);
    expect(entries.map((e) => JSON.parse(e.after!).reason)).toEqual([
      'Visit 0',
      'Visit 1',
      'Visit 2',
      'Visit 3',
    ]);
    expect(entries.map((e) => e.actor_id)).toEqual([
      a.userIds.admin,
      a.userIds.service,
      a.userIds.admin,
      a.userIds.service,
    ]);
    const all = await store.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('entity_id', '=', id)
      .execute();
    expect(JSON.stringify(all)).not.toContain('door-pass-42');
  });

  it('fails to decrypt a ciphertext with one bit flipped, in the ciphertext or in the tag', async () => {
    for (const column of ['secret_ciphertext', 'secret_tag', 'secret_iv'] as const) {
      const id = await add(`Flipped ${column}`, 'flip-me-please');
      const row = await store.db
        .selectFrom('vault_entries')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable('vault_entries')
        .set({ [column]: flipBit(row[column], 5) })
        .where('id', '=', id)
        .execute();
      const tampered = await store.db
        .selectFrom('vault_entries')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      await expect(
        openSecret(store.db, deps.vaultKeys, bindingOf(tampered), sealedOf(tampered)),
      ).rejects.toThrow(VaultIntegrityError);
      const res = await reveal(a.operations, id);
      expect(res.status).toBe(409);
      expect(JSON.stringify(res.body)).not.toContain('flip-me-please');
    }
  });

  it('fails to decrypt a ciphertext moved to another row', async () => {
    const from = await add('Router', 'router-secret-1');
    const to = await add('Switch', 'switch-secret-2');
    const source = await store.db
      .selectFrom('vault_entries')
      .selectAll()
      .where('id', '=', from)
      .executeTakeFirstOrThrow();
    await store.db
      .updateTable('vault_entries')
      .set({
        secret_ciphertext: source.secret_ciphertext,
        secret_iv: source.secret_iv,
        secret_tag: source.secret_tag,
        data_key_id: source.data_key_id,
      })
      .where('id', '=', to)
      .execute();
    const res = await reveal(a.operations, to);
    expect(res.status).toBe(409);
    expect(JSON.stringify(res.body)).not.toContain('router-secret-1');
    const moved = await store.db
      .selectFrom('vault_entries')
      .selectAll()
      .where('id', '=', to)
      .executeTakeFirstOrThrow();
    // The same ciphertext opens only where it was sealed.
    await expect(openSecret(store.db, deps.vaultKeys, bindingOf(moved), sealedOf(moved))).rejects.toThrow(
      VaultIntegrityError,
    );
    expect(await openSecret(store.db, deps.vaultKeys, bindingOf(source), sealedOf(moved))).toBe(
      'router-secret-1',
    );
    // Nor in another organisation, even with the same row id.
    await expect(
      openSecret(store.db, deps.vaultKeys, { ...bindingOf(source), orgId: b.id }, sealedOf(source)),
    ).rejects.toThrow();
  });

  it('reveals nothing when the audit write fails (a database trigger refuses the entry)', async () => {
    const id = await add('Fire panel', 'fire-panel-pin');
    const before = await store.db.selectFrom('audit_pending').select('id').execute();
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER refuse_reveal_audit BEFORE INSERT ON audit_pending
        WHEN NEW.action = 'vault.revealed' BEGIN SELECT RAISE(ABORT, 'audit store refused the entry'); END`.execute(
        store.db,
      );
    } else {
      await sql`CREATE FUNCTION refuse_reveal_audit() RETURNS trigger AS $$
        BEGIN IF NEW.action = 'vault.revealed' THEN RAISE EXCEPTION 'audit store refused the entry'; END IF;
        RETURN NEW; END $$ LANGUAGE plpgsql`.execute(store.db);
      await sql`CREATE TRIGGER refuse_reveal_audit BEFORE INSERT ON audit_pending
        FOR EACH ROW EXECUTE FUNCTION refuse_reveal_audit()`.execute(store.db);
    }
    try {
      const principal = (await loadPrincipal(store.db, a.id, a.userIds.operations))!;
      let revealed: unknown = null;
      await expect(
        (async () => {
          revealed = await revealVaultSecret(deps, principal, engagementId, id, { reason: 'Fire drill' });
        })(),
      ).rejects.toThrow(/audit store refused the entry/);
      expect(revealed).toBeNull();
      const after = await store.db.selectFrom('audit_pending').select('id').execute();
      expect(after).toHaveLength(before.length);
      await sealAll(store);
      const reveals = await store.db
        .selectFrom('audit_log')
        .select('id')
        .where('entity_id', '=', id)
        .where('action', '=', 'vault.revealed')
        .execute();
      expect(reveals).toHaveLength(0);
    } finally {
      await sql`DROP TRIGGER refuse_reveal_audit${sql.raw(dialect === 'postgres' ? ' ON audit_pending' : '')}`.execute(
        store.db,
      );
    }
    // With the audit store working again, the reveal goes through and is recorded.
    expect((await reveal(a.operations, id, { reason: 'Fire drill' })).body.secret).toBe('fire-panel-pin');
  });

  it('after a rotation every secret decrypts with the new key only, and no secret was decrypted to rotate', async () => {
    const secrets = new Map<string, string>();
    for (const n of [1, 2, 3])
      secrets.set(await add(`Rotated ${n}`, `rotated-secret-${n}`), `rotated-secret-${n}`);
    // The other organisation has a data key too.
    const bId = (
      await call(app, b.operations)('POST', vault(otherEngagementId), {
        system: 'B system',
        secret: 'b-secret',
      })
    ).body.id as string;
    const before = await store.db.selectFrom('vault_entries').selectAll().orderBy('id').execute();
    const NEW: [string, Buffer] = ['kek-new', randomBytes(32)];
    const both: Keyring = memoryKeyring([OLD, NEW]);
    const result = await inTransaction(deps, (trx) => rewrapDataKeys(trx, both, new Date()));
    expect(result).toMatchObject({ rewrapped: 2, total: 2, kek: 'kek-new', unused: ['kek-old'] });
    // The secrets' ciphertexts are untouched: only the data keys were rewrapped.
    expect(await store.db.selectFrom('vault_entries').selectAll().orderBy('id').execute()).toEqual(before);
    // Each rewrap is in its organisation's audit log, naming the KEK ids only.
    await sealAll(store);
    const rewraps = await store.db
      .selectFrom('audit_log')
      .select(['org_id', 'before', 'after'])
      .where('action', '=', 'vault.data_key_rewrapped')
      .execute();
    expect(rewraps.map((r) => [r.org_id, JSON.parse(r.before!), JSON.parse(r.after!)]).sort()).toEqual(
      [
        [a.id, { kek_id: 'kek-old' }, { kek_id: 'kek-new' }],
        [b.id, { kek_id: 'kek-old' }, { kek_id: 'kek-new' }],
      ].sort(),
    );
    const keys = await store.db.selectFrom('organisation_data_keys').select('kek_id').execute();
    expect(new Set(keys.map((k) => k.kek_id))).toEqual(new Set(['kek-new']));

    // The old key removed: a server with the new key alone opens every secret.
    const newOnly = memoryKeyring([NEW]);
    expect(await missingKeks(store.db, newOnly)).toEqual([]);
    await expect(requireEveryKek(store.db, memoryKeyring([OLD]))).rejects.toThrow(/kek-new/);
    const rotated = await testApp(store, undefined, { vaultKeys: newOnly });
    try {
      for (const [id, secret] of secrets) {
        const res = await call(rotated.app, a.operations)('POST', `${vault()}/${id}/reveal`, {
          reason: 'After rotation',
        });
        expect(res.body.secret).toBe(secret);
      }
      const res = await call(rotated.app, b.operations)('POST', `${vault(otherEngagementId)}/${bId}/reveal`, {
        reason: 'After rotation',
      });
      expect(res.body.secret).toBe('b-secret');
      for (const row of before.filter((r) => secrets.has(r.id))) {
        expect(await openSecret(store.db, newOnly, bindingOf(row), sealedOf(row))).toBe(secrets.get(row.id));
      }
    } finally {
      await rotated.app.close();
    }
    // And the old key alone opens nothing any more.
    const oldOnly = appDeps({ store, clock: deps.clock, vaultKeys: memoryKeyring([OLD]) });
    const row = before.find((r) => secrets.has(r.id))!;
    await expect(openSecret(store.db, oldOnly.vaultKeys, bindingOf(row), sealedOf(row))).rejects.toThrow(
      /kek-new/,
    );
  });
});
