import type { Deps } from '../../src/kernel/context.js';
import { createSmtpMailer } from '../../src/notifications/smtp-mailer.js';
import { createWebhookSender } from '../../src/notifications/webhook-sender.js';
import { buildScheduler } from '../../src/server/build-scheduler.js';
import { loopbackAllowed, startSmtpReceiver, startWebhookReceiver } from './receivers.js';

/**
 * The outbox as a test runs it: a real SMTP server and chat receiver on this machine, and the
 * scheduler sending to them (through loopback, which the test allows as an operator would).
 */
export async function startOutbox(deps: Deps, options: { linkBase?: string } = {}) {
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
    ...(options.linkBase ? { linkBase: options.linkBase } : {}),
  });
  return {
    smtp,
    hook,
    worker,
    /** Runs the scheduler until nothing is due (timers, then the messages they cause). */
    async drain(): Promise<void> {
      for (let i = 0; i < 10 && (await worker.tick()) > 0; i += 1) {}
    },
    async close(): Promise<void> {
      mailer.close();
      await smtp.close();
      await hook.close();
    },
  };
}
