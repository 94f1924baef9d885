import { ManualClock } from '../../src/kernel/clock.js';
import type { DialectName } from '../../src/kernel/db/dialect.js';
import { createSmtpMailer } from '../../src/notifications/smtp-mailer.js';
import { createWebhookSender } from '../../src/notifications/webhook-sender.js';
import { buildScheduler } from '../../src/server/build-scheduler.js';
import { testApp } from './app.js';
import { loopbackAllowed, startSmtpReceiver, startWebhookReceiver } from './receivers.js';
import { openTestStore } from './stores.js';

/**
 * The real server over a fresh store of the dialect, on a clock the test controls from `start`,
 * with a scheduler worker that mails a local SMTP receiver (chat webhooks go where the
 * organisation says, loopback allowed as an operator would; `hook` is a local receiver for them). `drain` runs the worker until nothing
 * is due: timers, then the mail they cause.
 */
export async function scheduledApp(dialect: DialectName, start: string) {
  const store = await openTestStore(dialect);
  const { app, deps, clock } = await testApp(store, new ManualClock(start), {
    destinations: loopbackAllowed,
  });
  const smtp = await startSmtpReceiver();
  const hook = await startWebhookReceiver();
  const mailer = createSmtpMailer({
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    from: 'Baton <baton@test>',
  });
  const worker = buildScheduler(deps, {
    mailer,
    webhooks: createWebhookSender({ destinations: loopbackAllowed }),
  });
  return {
    app,
    deps,
    clock,
    worker,
    smtp,
    hook,
    drain: async () => {
      for (let i = 0; i < 10 && (await worker.tick()) > 0; i += 1) {}
    },
    close: async () => {
      mailer.close();
      await app.close();
      await store.close();
      await smtp.close();
      await hook.close();
    },
  };
}

export type ScheduledApp = Awaited<ReturnType<typeof scheduledApp>>;
