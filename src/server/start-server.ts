import { join } from 'node:path';
import { openBlobStorage } from '../files/files-config.js';
import { authenticateRequest } from '../identity/authenticate-request.js';
import { systemClock } from '../kernel/clock.js';
import type { Deps } from '../kernel/context.js';
import { openStore, type Store } from '../kernel/db/dialect.js';
import { PendingMigrationsError, pendingMigrations } from '../kernel/db/migrate.js';
import { type Api, buildApp } from '../kernel/http/build-app.js';
import { hasBuiltWebUi } from '../kernel/http/serve-web.js';
import type { DestinationGuard } from '../kernel/outbound/destination-guard.js';
import { projectRoot } from '../kernel/project-root.js';
import { startRollupRefresher } from '../metrics/rollups/rollup-refresher.js';
import { createSmtpMailer } from '../notifications/smtp-mailer.js';
import { createWebhookSender } from '../notifications/webhook-sender.js';
import { requireEveryKek } from '../vault/data-keys.js';
import type { Keyring } from '../vault/keyring.js';
import { appDeps } from './app-deps.js';
import { type AuditConfig, readAuditConfig } from './audit-config.js';
import { startConfiguredSealer } from './audit-sealing.js';
import { buildScheduler } from './build-scheduler.js';
import type { Config } from './config.js';
import { readOutboundGuard } from './outbound-config.js';
import { linkBase } from './public-link.js';
import { ALL_ROUTES, OPENAPI_WEBHOOKS } from './routes.js';
import { readSchedulerConfig, type SchedulerConfig } from './scheduler-config.js';
import { readVaultKeys } from './vault-config.js';

/** Where `vite build` puts the web UI (`npm run build:web`). */
export const WEB_DIST = join(projectRoot(), 'web', 'dist');

export { PendingMigrationsError };

/** Secrets never reach the logs: these paths are censored in every log line. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.token',
  '*.password',
  '*.secret',
  '*.*.secret',
  'req.body',
];

/**
 * Connections of the background work on PostgreSQL, beside the requests' pool (10): the audit
 * sealer seals four organisations at once, each in a transaction of its own, while its signing
 * loop signs one head at a time (src/audit/audit-sealer.ts); the metrics' refresher rolls up one
 * month at a time. One connection each, so none waits for another's.
 */
const SEALER_POOL = 6;

/** Opens the store, refuses to run on an unmigrated database, and starts listening. */
export async function startServer(
  config: Config,
  options: {
    store?: Store;
    webRoot?: string;
    scheduler?: SchedulerConfig;
    destinations?: DestinationGuard;
    audit?: AuditConfig;
    /** The vault's key-encryption keys; read from the configuration when absent. */
    vaultKeys?: Keyring;
  } = {},
): Promise<{ app: Api; store: Store; url: string }> {
  const destinations = options.destinations ?? readOutboundGuard();
  const store = options.store ?? openStore(config.databaseUrl);
  const pending = await pendingMigrations(store.db);
  if (pending.length) {
    await store.close();
    throw new PendingMigrationsError(pending);
  }
  // A data key whose key-encryption key is missing could never be opened: refuse to start, naming it.
  const vaultKeys = options.vaultKeys ?? readVaultKeys(config.dataDir);
  try {
    await requireEveryKek(store.db, vaultKeys);
  } catch (error) {
    await store.close();
    throw error;
  }
  const storage = openBlobStorage(config.files.storage, { store, dataDir: config.dataDir });
  const deps: Deps = appDeps({
    store,
    clock: systemClock,
    destinations,
    vaultKeys,
    files: { storage, limits: config.files.limits },
  });
  const webRoot = options.webRoot ?? WEB_DIST;
  const app = await buildApp({
    deps,
    routes: ALL_ROUTES,
    webhooks: OPENAPI_WEBHOOKS,
    authenticate: authenticateRequest,
    webRoot: hasBuiltWebUi(webRoot) ? webRoot : undefined,
    publicUrl: config.publicUrl,
    trustedProxies: config.trustedProxies,
    logger: { level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' } },
  });
  // The scheduler runs beside the server and stops before the store closes.
  const schedulerConfig = options.scheduler ?? readSchedulerConfig();
  // On PostgreSQL the audit sealer takes connections of its own, so a burst of requests holding
  // the request pool never queues the sealing of their entries behind it. (A store handed in, as
  // tests do, is used for everything.)
  const background =
    schedulerConfig.enabled && !options.store && store.dialect === 'postgres'
      ? openStore(config.databaseUrl, { poolSize: SEALER_POOL })
      : store;
  const sealerDeps: Deps = background === store ? deps : { ...deps, store: background };
  if (schedulerConfig.enabled) {
    const mailer = schedulerConfig.smtp ? createSmtpMailer(schedulerConfig.smtp) : undefined;
    const scheduler = buildScheduler(
      deps,
      {
        ...(mailer ? { mailer } : {}),
        webhooks: createWebhookSender({ destinations }),
        linkBase: linkBase(config),
      },
      {
        intervalMs: schedulerConfig.intervalMs,
        batchSize: schedulerConfig.batchSize,
        leaseMs: schedulerConfig.leaseMs,
        onError: (error, job) =>
          app.log.error({ err: error, job: job?.id, kind: job?.kind }, 'scheduler job failed'),
      },
    );
    scheduler.start();
    // The audit sealer runs wherever the scheduler does (docs/design-audit-log.md).
    const audit = startConfiguredSealer(
      sealerDeps,
      options.audit ?? readAuditConfig(config.dataDir),
      (error) => app.log.error({ err: error }, 'audit sealing failed'),
    );
    // So are the metrics' roll-ups (docs/design-metrics.md, "Refresh").
    const rollups = startRollupRefresher(sealerDeps.store, {
      intervalMs: schedulerConfig.rollupIntervalMs,
      onError: (error) => app.log.error({ err: error }, 'rolling up the metrics failed'),
    });
    if (!audit.signing)
      app.log.warn(
        'audit heads are not signed: no signing key (BATON_AUDIT_KEY_FILE); `baton audit keygen` makes one',
      );
    // preClose runs before every onClose hook, so the worker is done before the store closes.
    app.addHook('preClose', async () => {
      await scheduler.stop();
      await audit.sealer.stop();
      await rollups.stop();
      mailer?.close();
    });
  }
  app.addHook('onClose', async () => {
    await storage.close();
    if (background !== store) await background.close();
    await store.close();
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return { app, store, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}

/**
 * Stops accepting requests on SIGTERM or SIGINT, lets requests in flight and the scheduler's
 * current batch finish, closes the store, then exits. A second signal exits at once.
 */
export function closeOnSignals(app: Api): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
