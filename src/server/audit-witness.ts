import { Type } from 'typebox';
import { type HeadPublisher, PublishedHeadSchema } from '../audit/published-heads.js';
import type { DestinationGuard } from '../kernel/outbound/destination-guard.js';
import { postJson } from '../kernel/outbound/post-json.js';
import { defineJob } from '../scheduler/define-job.js';

/** How long the witness has to answer one post. */
const WITNESS_TIMEOUT_MS = 10_000;

/**
 * A signed head on its way to the witness (`BATON_AUDIT_WITNESS_URL`): posted as JSON, the
 * published head record exactly as the heads file has it, with the job id as `Idempotency-Key`.
 * Through the outbound destination guard, like chat webhooks: an inward witness must be allowed
 * by the operator (`BATON_OUTBOUND_ALLOW`). A witness that is down is retried with backoff, then
 * dead-lettered (`GET /api/v1/dead-jobs`), like every job.
 */
export const sendAuditHeadJob = defineJob({
  kind: 'send_audit_head',
  version: 1,
  schema: Type.Object({ url: Type.String({ minLength: 1 }), record: PublishedHeadSchema }),
  handle: ({ destinations }: { destinations: DestinationGuard }) => ({
    async perform(job) {
      await postJson(destinations, job.payload.url, job.payload.record, {
        headers: { 'idempotency-key': job.id },
        timeoutMs: WITNESS_TIMEOUT_MS,
      });
    },
  }),
});

/**
 * Publishes each signed head to a witness through the outbox: the job is written in the signing
 * transaction, so the witness is sent exactly the heads that were recorded as signed, once each
 * (dedupe key: organisation and tree size).
 *
 * @example
 * allHeadPublishers([witnessHeadPublisher('https://witness.example/heads'), fileHeadPublisher(path)])
 */
export function witnessHeadPublisher(url: string): HeadPublisher {
  return {
    async publish(record, { trx, now }) {
      const size = record.first_seq + record.leaves.length - 1;
      await sendAuditHeadJob.enqueue(
        trx,
        {
          dedupeKey: `send_audit_head:${record.org_id}:${size}`,
          orgId: record.org_id,
          payload: { url, record },
          availableAt: now,
        },
        now,
      );
    },
  };
}
