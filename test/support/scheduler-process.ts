/**
 * One scheduler process for the multi-process tests: its own pg Pool, the real worker and the real
 * fetch webhook sender. Prints "ready" once connected, then runs until SIGTERM (or SIGKILL).
 * Usage: node --import tsx test/support/scheduler-process.ts <database-url> <owner> <lease-ms>
 */
import { systemClock } from '../../src/kernel/clock.js';
import { openStore } from '../../src/kernel/db/dialect.js';
import { sendWebhookJob } from '../../src/notifications/send-webhook-job.js';
import { createWebhookSender } from '../../src/notifications/webhook-sender.js';
import { SchedulerWorker } from '../../src/scheduler/worker.js';
import { appDeps } from '../../src/server/app-deps.js';
import { loopbackAllowed } from './receivers.js';

const [url, owner, leaseMs] = process.argv.slice(2);
const store = openStore(url!, { poolSize: 10 });
await store.db.selectFrom('scheduled_jobs').select('id').limit(1).execute();
const worker = new SchedulerWorker(
  appDeps({ store, clock: systemClock }),
  [
    sendWebhookJob.runWith({
      webhooks: createWebhookSender({ destinations: loopbackAllowed, timeoutMs: 5000 }),
    }),
  ],
  {
    owner,
    batchSize: 50,
    concurrency: 8,
    intervalMs: 20,
    leaseMs: Number(leaseMs),
    onError: (e) => process.stderr.write(`${owner}: ${e instanceof Error ? e.message : String(e)}\n`),
  },
);
worker.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void worker.stop().then(async () => {
    await store.close();
    process.exit(0);
  });
});
