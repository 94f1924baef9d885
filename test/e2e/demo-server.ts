import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DemoSeed, seedDemo } from '../../src/demo/seed-demo.js';
import { systemClock } from '../../src/kernel/clock.js';
import { openStore } from '../../src/kernel/db/dialect.js';
import { migrateToLatest } from '../../src/kernel/db/migrate.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { appDeps } from '../../src/server/app-deps.js';
import { readConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/start-server.js';
import { addKeyToFile } from '../../src/vault/keyring.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The real server on a free port, over a temporary SQLite database seeded with the demo
 * organisation (one user per role, each signing in with `DEMO_PASSWORD`), serving the web UI,
 * built first when its sources are newer than the build. The browser tests start one each.
 *
 * @example
 * const { app, url, seed } = await startDemoServer(); // url: http://127.0.0.1:<port>
 * await app.close();
 */
export async function startDemoServer(): Promise<{
  app: Api;
  url: string;
  seed: DemoSeed;
  databaseUrl: string;
}> {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web-if-stale.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`The web UI did not build:\n${build.stderr}${build.stdout}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-e2e-'));
  const databaseUrl = join(dataDir, 'baton.db');
  const store = openStore(databaseUrl);
  await migrateToLatest(store.db);
  // The vault's key-encryption key, made as `npm start` makes the demo's, before the demo's vault entry.
  const { keyring: vaultKeys } = addKeyToFile(join(dataDir, 'vault-keys'), new Date());
  const seed = await seedDemo(appDeps({ store, clock: systemClock, vaultKeys }), { dataDir });
  const server = await startServer(
    { ...readConfig({}), port: 0, host: '127.0.0.1', dataDir, databaseUrl, logLevel: 'silent' },
    { store, webRoot: join(ROOT, 'web', 'dist'), vaultKeys },
  );
  return { ...server, seed, databaseUrl };
}
