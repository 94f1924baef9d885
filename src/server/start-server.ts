import { systemClock } from '../kernel/clock.js';
import type { Deps } from '../kernel/context.js';
import { openStore, type Store } from '../kernel/db/dialect.js';
import { pendingMigrations } from '../kernel/db/migrate.js';
import { type Api, buildApp } from '../kernel/http/build-app.js';
import type { Config } from './config.js';
import { ALL_ROUTES } from './routes.js';

/** Secrets never reach the logs: these paths are censored in every log line. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.token',
  '*.password',
  '*.secret',
];

export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(`The database has unapplied migrations: ${pending.join(', ')}. Run \`baton migrate\` first.`);
  }
}

/** Opens the store, refuses to run on an unmigrated database, and starts listening. */
export async function startServer(
  config: Config,
  options: { store?: Store } = {},
): Promise<{ app: Api; store: Store; url: string }> {
  const store = options.store ?? openStore(config.databaseUrl);
  const pending = await pendingMigrations(store.db);
  if (pending.length) {
    await store.close();
    throw new PendingMigrationsError(pending);
  }
  const deps: Deps = { store, clock: systemClock };
  const app = await buildApp({
    deps,
    routes: ALL_ROUTES,
    logger: { level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' } },
  });
  app.addHook('onClose', async () => store.close());
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return { app, store, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}
