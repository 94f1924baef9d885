import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../src/kernel/http/build-app.js';
import { BUILTIN_PLAYBOOK_DIR } from '../src/playbooks/builtin/load-builtins.js';
import { call, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, openTestStore } from './support/stores.js';

const BUILTIN = readFileSync(join(BUILTIN_PLAYBOOK_DIR, 'professional-services.yaml'), 'utf8');
/** The built-in playbook as version `version`, its success-metric label changed to `label`. */
const versionOf = (version: number | null, label = 'Success metric') => {
  const numbered =
    version === null
      ? BUILTIN.replace(/^version: 1\n/m, '')
      : BUILTIN.replace(/^version: 1$/m, `version: ${version}`);
  return numbered.replace('label: Success metric', `label: ${label}`);
};

describe.each(DIALECTS)('playbook versions on %s', (dialect) => {
  let app: Api;
  let org: TestOrg;
  let admin: ReturnType<typeof call>;
  const versions = async () =>
    (await admin('GET', '/api/v1/playbooks')).body.items.find(
      (p: { key: string }) => p.key === 'professional-services',
    ).versions as number[];
  const sourceOf = async (version: number) =>
    (await admin('GET', `/api/v1/playbooks/professional-services/source?version=${version}`)).raw.body;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    const made = await testApp(store);
    app = made.app;
    org = await seedOrg(made.deps, 'Versions');
    admin = call(app, org.admin);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('installs an explicit version once; the same document again changes nothing and says so', async () => {
    const source = versionOf(2, 'Agreed success metric');
    const first = await admin('POST', '/api/v1/playbooks', { source });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ version: 2, installed: true });
    const again = await admin('POST', '/api/v1/playbooks', { source });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      id: first.body.id,
      key: 'professional-services',
      version: 2,
      name: first.body.name,
      installed: false,
      message:
        'Version 2 of playbook professional-services already has this definition; nothing was installed.',
    });
    // Comments and layout are not the definition.
    const reworded = await admin('POST', '/api/v1/playbooks', { source: `# edited by hand\n${source}` });
    expect(reworded.status).toBe(200);
    expect(await versions()).toEqual([1, 2]);
    expect(await sourceOf(2)).toBe(source);
  });

  it('refuses an existing version with another definition, and a version below the latest', async () => {
    const changed = await admin('POST', '/api/v1/playbooks', { source: versionOf(2, 'Another label') });
    expect(changed.status).toBe(409);
    expect(changed.body.detail).toBe(
      'Version 2 of playbook professional-services is already installed with a different definition, and a version never changes: give the document version 3, or leave "version" out to install it as the next version.',
    );
    expect(changed.body.errors).toEqual([
      {
        path: '/version',
        message:
          'version 2 exists; give the document version 3, or leave "version" out to install it as the next version',
      },
    ]);
    expect((await admin('POST', '/api/v1/playbooks', { source: versionOf(5, 'Five') })).status).toBe(201);
    const older = await admin('POST', '/api/v1/playbooks', { source: versionOf(4, 'Four') });
    expect(older.status).toBe(409);
    expect(older.body.detail).toContain('would come before the latest, version 5');
    expect(await versions()).toEqual([1, 2, 5]);
  });

  it('installs a document without a version as the next one, and writes the version into its source', async () => {
    const source = versionOf(null, 'Unnumbered');
    expect(source).not.toMatch(/^version:/m);
    const installed = await admin('POST', '/api/v1/playbooks', { source });
    expect(installed.status).toBe(201);
    expect(installed.body).toMatchObject({ version: 6, installed: true });
    const stored = await sourceOf(6);
    expect(stored).toBe(
      source.replace('key: professional-services\n', 'key: professional-services\nversion: 6\n'),
    );
    expect((await admin('GET', '/api/v1/playbooks/professional-services')).body.definition.version).toBe(6);
    // Sending it again, or its stored source, is the latest version again: nothing changes.
    const again = await admin('POST', '/api/v1/playbooks', { source });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 6, installed: false });
    expect((await admin('POST', '/api/v1/playbooks', { source: stored })).status).toBe(200);
    expect(await versions()).toEqual([1, 2, 5, 6]);
  });

  it('gives one version to two uploads of it at once', async () => {
    const source = versionOf(9, 'Nine');
    const answers = await Promise.all([
      admin('POST', '/api/v1/playbooks', { source }),
      admin('POST', '/api/v1/playbooks', { source }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(await versions()).toEqual([1, 2, 5, 6, 9]);
  });

  it('says which version a document names when validating it', async () => {
    const named = await call(app, org.sales)('POST', '/api/v1/playbooks/validate', { source: versionOf(3) });
    expect(named.body).toEqual({
      valid: true,
      errors: [],
      error_count: 0,
      key: 'professional-services',
      version: 3,
    });
    const unnamed = await call(app, org.sales)('POST', '/api/v1/playbooks/validate', {
      source: versionOf(null),
    });
    expect(unnamed.body).toEqual({ valid: true, errors: [], error_count: 0, key: 'professional-services' });
  });
});
