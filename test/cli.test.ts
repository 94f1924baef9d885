import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/kernel/db/dialect.js';
import { rewriteEntry, truncateLog } from './support/audit-tamper.js';
import { baton } from './support/cli.js';
import { DIALECTS, freshDatabaseUrl } from './support/stores.js';

const ROOT = join(import.meta.dirname, '..');

describe.each(DIALECTS)('the CLI on %s', (dialect) => {
  it('migrates, creates an organisation and users with --json, and verifies then catches a tampered audit log', async () => {
    const url = await freshDatabaseUrl(dialect);
    const env = { BATON_DATABASE_URL: url, BATON_DATA_DIR: mkdtempSync(join(tmpdir(), 'baton-cli-')) };

    const serve = await baton(env, 'serve');
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain('unapplied migrations: 0001-initial');

    const migrated = await baton(env, 'migrate', '--json');
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(JSON.parse(migrated.stdout).applied).toContain('0001-initial');

    const org = await baton(env, 'org', 'create', 'Acme Security', '--json');
    expect(org.code, org.stderr).toBe(0);
    const made = JSON.parse(org.stdout);
    expect(made.organisation.slug).toBe('acme-security');
    expect(made.admin.token).toMatch(/^bat_/);
    expect(made.teams).toEqual(expect.arrayContaining(['sales', 'operations', 'service']));

    const dup = await baton(env, 'org', 'create', 'Acme Security');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');

    const user = await baton(
      env,
      'user',
      'add',
      '--org',
      'acme-security',
      '--email',
      'sam@acme.example',
      '--role',
      'sales',
      '--team',
      'sales',
      '--scope',
      'records',
      'read',
      '--json',
    );
    expect(user.code, user.stderr).toBe(0);
    const added = JSON.parse(user.stdout);
    expect(added.token).toMatch(/^bat_/);
    expect(added.user.teams).toEqual(['sales']);
    expect(added.scopes).toEqual(['read', 'records']);
    const badScope = await baton(
      env,
      'user',
      'add',
      '--org',
      'acme-security',
      '--email',
      'x@acme.example',
      '--role',
      'viewer',
      '--scope',
      'everything',
    );
    expect(badScope.code).toBe(1);
    expect(badScope.stderr).toContain('read, lifecycle, records, admin');

    const badUser = await baton(
      env,
      'user',
      'add',
      '--org',
      'acme-security',
      '--email',
      'nope',
      '--role',
      'sales',
      '--team',
      'nosuch',
    );
    expect(badUser.code).toBe(1);
    expect(badUser.stderr).toContain('/email');
    expect(badUser.stderr).toContain('/teams');

    const ok = await baton(env, 'audit', 'verify', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.ok).toBe(true);
    const entries = report.organisations[0].entries;
    expect(entries).toBeGreaterThan(5);

    // Tamper with one entry directly in the database.
    const store = openStore(url);
    await sql`UPDATE audit_log SET after = ${'{"email":"mallory@evil.example"}'} WHERE seq = 4`.execute(
      store.db,
    );
    await store.close();

    const broken = await baton(env, 'audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN\s+acme-security: entry 4 /);
    expect(broken.stdout).toContain('altered');
  });
});

describe.each(DIALECTS)('the audit log under signed heads, through the CLI on %s', (dialect) => {
  it('signs heads as commands write, proves an entry, and names the entry of a rewrite or a truncation', async () => {
    const url = await freshDatabaseUrl(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
    const env = { BATON_DATABASE_URL: url, BATON_DATA_DIR: dataDir };
    expect((await baton(env, 'migrate')).code).toBe(0);
    const keygen = await baton(env, 'audit', 'keygen');
    expect(keygen.code, keygen.stderr).toBe(0);
    expect(keygen.stdout).toContain('BEGIN PUBLIC KEY');
    expect(statSync(join(dataDir, 'audit-signing-key.pem')).mode & 0o777).toBe(0o600);
    for (const name of ['Rewritten Co', 'Truncated Co']) {
      const made = await baton(env, 'org', 'create', name);
      expect(made.code, made.stderr).toBe(0);
    }
    const ok = await baton(env, 'audit', 'verify');
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/ok\s+rewritten-co: (\d+) entries verified, 1 signed heads checked/);

    const publicKey = join(dataDir, 'public.pem');
    writeFileSync(publicKey, (await baton(env, 'audit', 'public-key')).stdout);
    const proof = await baton(env, 'audit', 'proof', '--org', 'truncated-co', '--seq', '2');
    expect(proof.code, proof.stderr).toBe(0);
    const proofFile = join(dataDir, 'proof.json');
    writeFileSync(proofFile, proof.stdout);
    const checked = await baton({}, 'audit', 'check-proof', proofFile, '--public-key', publicKey);
    expect(checked.code, checked.stdout).toBe(0);
    writeFileSync(proofFile, proof.stdout.replace('"seq": 2', '"seq": 3'));
    expect((await baton({}, 'audit', 'check-proof', proofFile, '--public-key', publicKey)).code).toBe(1);

    const store = openStore(url);
    const orgs = await store.db.selectFrom('organisations').select(['id', 'slug', 'audit_seq']).execute();
    const rewritten = orgs.find((o) => o.slug === 'rewritten-co')!;
    const truncated = orgs.find((o) => o.slug === 'truncated-co')!;
    await rewriteEntry(store, rewritten.id, 3, '{"role":"admin"}');
    await truncateLog(store, truncated.id, Number(truncated.audit_seq) - 2);
    await store.close();

    const broken = await baton(env, 'audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      /BROKEN\s+rewritten-co: entry 3 \(.+\): entry 3 is not the entry the head signed/,
    );
    expect(broken.stdout).toContain(
      `BROKEN  truncated-co: entry ${Number(truncated.audit_seq) - 1}: entry ${Number(truncated.audit_seq) - 1} is missing`,
    );
  });
});

describe('playbook validate', () => {
  it('prints every error with file, line and path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-pb-'));
    const file = join(dir, 'broken.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      file,
      'key: broken\nversion: 1\nname: Broken\nstages: []\ntransitions:\n  - key: a-to-b\n    colour: blue\n',
    );
    const res = await baton({}, 'playbook', 'validate', file);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`${file}:7`);
    const good = await baton(
      {},
      'playbook',
      'validate',
      join(ROOT, 'src/playbooks/builtin/professional-services.yaml'),
    );
    expect(good.code, good.stdout).toBe(0);
  });
});

describe('playbook install and validate', () => {
  it('installs a version once, says so when it is sent again, refuses another definition under it, and lists the first errors of a long list', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'baton-pb-'));
    const env = { BATON_DATABASE_URL: join(dir, 'baton.db'), BATON_DATA_DIR: dir };
    expect((await baton(env, 'migrate')).code).toBe(0);
    expect((await baton(env, 'org', 'create', 'Acme')).code).toBe(0);
    const builtin = readFileSync(join(ROOT, 'src/playbooks/builtin/professional-services.yaml'), 'utf8');
    const file = join(dir, 'ps.yaml');
    writeFileSync(file, builtin.replace(/^version: 1$/m, 'version: 2'));

    const first = await baton(env, 'playbook', 'install', file, '--org', 'acme');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('Installed version 2 of playbook professional-services. (organisation acme)\n');
    const again = await baton(env, 'playbook', 'install', file, '--org', 'acme', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ version: 2, installed: false });

    writeFileSync(
      file,
      builtin.replace(/^version: 1$/m, 'version: 2').replace('label: Success metric', 'label: KPI'),
    );
    const changed = await baton(env, 'playbook', 'install', file, '--org', 'acme');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(
      'Version 2 of playbook professional-services is already installed with a different definition',
    );

    writeFileSync(file, 'key: a\n'.repeat(1000));
    const invalid = await baton(env, 'playbook', 'validate', file);
    expect(invalid.code).toBe(1);
    const lines = invalid.stdout.trim().split('\n');
    expect(lines).toHaveLength(101);
    expect(lines[0]).toBe(`${file}:2:1 /key duplicate key "key" in the same mapping`);
    expect(lines[100]).toBe(`${file}: 999 errors in all; the first 100 by position are listed`);
  });
});
