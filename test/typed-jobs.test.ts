import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeadSigningKey } from '../src/audit/head-keys.js';
import { checkpointDueJob } from '../src/checkpoints/checkpoint-due-job.js';
import { reviewNudgeJob } from '../src/handoffs/review-nudge.js';
import { webhookDeliveryJob } from '../src/integrations/public.js';
import { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { sendEmailJob } from '../src/notifications/send-email-job.js';
import { sendWebhookJob } from '../src/notifications/send-webhook-job.js';
import { sendPortalLinkJob } from '../src/portal/send-portal-link-job.js';
import { surveyReminderJob } from '../src/portal/survey-on-closeout.js';
import { readAuditConfig } from '../src/server/audit-config.js';
import { sealAndSignNow } from '../src/server/audit-sealing.js';
import { sendAuditHeadJob } from '../src/server/audit-witness.js';
import { schedulerJobs } from '../src/server/build-scheduler.js';
import { healthScoresJob } from '../src/signals/health-scores-job.js';
import { quietAccountsJob } from '../src/signals/quiet-accounts-job.js';
import { call, seedOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { startOutbox } from './support/outbox.js';
import { loopbackAllowed } from './support/receivers.js';
import { DIALECTS, openTestStore } from './support/stores.js';

/** Every kind Baton writes, by its definition. */
const DEFINITIONS = [
  checkpointDueJob,
  reviewNudgeJob,
  sendEmailJob,
  sendWebhookJob,
  sendAuditHeadJob,
  sendPortalLinkJob,
  surveyReminderJob,
  webhookDeliveryJob,
  quietAccountsJob,
  healthScoresJob,
];

describe.each(DIALECTS)(
  'every job kind, written by its producer and read by its definition, on %s',
  (dialect) => {
    let store: Store;
    let app: Api;
    let deps: Deps;
    let clock: ManualClock;
    let outbox: Awaited<ReturnType<typeof startOutbox>>;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      ({ app, deps, clock } = await testApp(store, new ManualClock('2026-03-02T10:00:00.000Z'), {
        destinations: loopbackAllowed,
      }));
      outbox = await startOutbox(deps, { linkBase: 'https://baton.example.test' });
    });
    afterAll(async () => {
      await outbox.close();
      await app.close();
      await store.close();
    });

    it('writes payloads that fit, and runs each kind through its handler without a dead letter', async () => {
      const org = await seedOrg(deps, 'Typed Jobs');
      const admin = call(app, org.admin);
      const sales = call(app, org.sales);
      expect(
        (await admin('PUT', '/api/v1/notification-settings', { chat_webhook_url: outbox.hook.url })).status,
      ).toBe(200);
      // An outbound webhook endpoint: the submission below is delivered to it.
      expect((await admin('POST', '/api/v1/webhook-endpoints', { url: outbox.hook.url })).status).toBe(201);
      const account = await sales('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
      const engagement = await sales('POST', '/api/v1/engagements', {
        account_id: account.body.id,
        name: 'Rollout',
      });
      const handoff = await sales('POST', '/api/v1/handoffs', {
        engagement_id: engagement.body.id,
        playbook: 'professional-services',
        transition: 'sales-to-delivery',
        packet: EXAMPLE_PACKETS['professional-services']!['sales-to-delivery'],
      });
      expect((await sales('POST', `/api/v1/handoffs/${handoff.body.id}/submit`)).status).toBe(200);
      // The client portal: a link's mail, and the survey sent on closeout with its reminder's timer.
      await sales('POST', '/api/v1/contacts', {
        account_id: account.body.id,
        name: 'Ada Client',
        email: 'ada@harbor.test',
        role: 'sponsor',
      });
      const closed = await call(app, org.operations)(
        'POST',
        `/api/v1/engagements/${engagement.body.id}/closeout`,
      );
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
      // A signal batch schedules the organisation's daily quiet-account check.
      const signals = await sales('POST', '/api/v1/signals', {
        signals: [
          { event_id: 'typed-1', account_id: account.body.id, kind: 'usage', at: '2026-03-01T09:00:00Z' },
        ],
      });
      expect(signals.status, JSON.stringify(signals.body)).toBe(200);
      // Signed heads go to a witness (the chat receiver stands in for it).
      const dataDir = mkdtempSync(join(tmpdir(), 'baton-typed-'));
      createHeadSigningKey(join(dataDir, 'audit-signing-key.pem'));
      await sealAndSignNow(deps, readAuditConfig(dataDir, { BATON_AUDIT_WITNESS_URL: outbox.hook.url }));

      const rows = await store.db.selectFrom('scheduled_jobs').selectAll().execute();
      expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(DEFINITIONS.map((d) => d.kind)));
      for (const row of rows) {
        const definition = DEFINITIONS.find((d) => d.kind === row.kind)!;
        expect(row.version).toBe(definition.version);
        const reading = definition.read(row.payload, Number(row.version));
        expect(reading, `${row.kind} ${row.payload}`).toEqual({ ok: true, payload: JSON.parse(row.payload) });
      }
      // Every kind a producer writes has a worker registered at the composition root.
      const registered = schedulerJobs(deps, {
        mailer: { send: async () => {} },
        webhooks: { post: async () => {} },
      });
      expect(registered.map((r) => r.kind).sort()).toEqual(DEFINITIONS.map((d) => d.kind).sort());

      // A month later every timer has fired (overdue checkpoints escalate, the nudge goes out).
      clock.advance(31 * 24 * 3_600_000);
      await outbox.drain();
      const after = await store.db
        .selectFrom('scheduled_jobs')
        .select(['kind', 'status', 'last_error'])
        .execute();
      // The daily quiet-account check and health scoring ran, and each scheduled its next day's
      // run (a chain, by design).
      const daily = ['quiet_accounts', 'health_scores'];
      expect(after.filter((r) => r.status !== 'done' && !daily.includes(r.kind))).toEqual([]);
      for (const kind of daily)
        expect(
          after
            .filter((r) => r.kind === kind)
            .map((r) => r.status)
            .sort(),
        ).toEqual(['done', 'pending']);
      expect(outbox.smtp.mails.length).toBeGreaterThan(0);
    });
  },
);
