import { Type } from 'typebox';
import type { Db, Deps, Tx } from '../kernel/context.js';
import { newId } from '../kernel/ids.js';
import { publicDestinationsOnly } from '../kernel/outbound/destination-guard.js';
import { postBody } from '../kernel/outbound/post-body.js';
import { defineJob, type RunningJob } from '../scheduler/define-job.js';
import { openSecret } from '../vault/data-keys.js';
import { nextAttemptAt, parseRetryAfter } from './domain/webhook-retry.js';
import { webhookHeaders } from './domain/webhook-signature.js';
import { secretBinding, signingSecrets, type WebhookDeliveriesTable } from './webhook-records.js';

/** The first 2 KB of an answer are kept with its attempt. */
export const EXCERPT_BYTES = 2048;

const DeliveryPayload = Type.Object({
  deliveryId: Type.String({ minLength: 1 }),
  /** Which send of the delivery this job is (`sends` when it was enqueued): an older one does nothing. */
  send: Type.Integer({ minimum: 1 }),
});

/** What sending webhooks needs: the store, clock, vault keys and destination guard of `deps`. */
export interface WebhookDelivering {
  deps: Deps;
  /** How long a receiver may take to answer (10 s). */
  timeoutMs?: number;
  /** The jitter's source (Math.random). */
  random?: () => number;
}

/** What one send came to, between the request (`perform`) and its record (`commit`). */
type Outcome =
  | { kind: 'skip' }
  | { kind: 'disabled' }
  | {
      kind: 'sent';
      at: Date;
      durationMs: number;
      status: number | null;
      excerpt: string | null;
      error: string | null;
      retryAfterMs: number | null;
    };

const outcomes = new WeakMap<object, Outcome>();

/** Enqueues the next send of a delivery (its `sends` already counts it), due at `at`. */
export async function enqueueSend(
  db: Db,
  delivery: Pick<WebhookDeliveriesTable, 'id' | 'org_id' | 'sends'>,
  at: Date,
  now: Date,
): Promise<void> {
  await webhookDeliveryJob.enqueue(
    db,
    {
      dedupeKey: `webhook:${delivery.id}:${delivery.sends}`,
      orgId: delivery.org_id,
      payload: { deliveryId: delivery.id, send: delivery.sends },
      availableAt: at,
    },
    now,
  );
}

/**
 * One send of a webhook delivery (docs/design-integrations.md): signed with every valid secret
 * (Standard Webhooks headers, the same `webhook-id` every time), POSTed through the destination
 * guard (checked after name resolution), and recorded as an attempt with what came back. A 2xx
 * delivers it; a 410 disables the endpoint; anything else is tried again on the schedule of
 * `webhook-retry.ts` (honouring `Retry-After` on 429 and 503) until it is spent, then the delivery
 * is dead (a replay starts it again). The worker's own retries are left for what is not the
 * receiver's doing (the database, the vault).
 */
export const webhookDeliveryJob = defineJob({
  kind: 'webhook_delivery',
  version: 1,
  schema: DeliveryPayload,
  handle: ({ deps, timeoutMs = 10_000, random = Math.random }: WebhookDelivering) => ({
    async perform(job) {
      outcomes.set(job, await send(deps, job, timeoutMs));
    },
    async commit(trx, job, now) {
      const outcome = outcomes.get(job) ?? { kind: 'skip' };
      outcomes.delete(job);
      await record(trx, job, outcome, now, random);
    },
  }),
});

type Job = RunningJob<{ deliveryId: string; send: number }>;

/** Whether the job is the delivery's latest send and the delivery still waits for it. */
function isCurrent(
  delivery: WebhookDeliveriesTable | undefined,
  job: Job,
): delivery is WebhookDeliveriesTable {
  return (
    delivery !== undefined && delivery.state === 'pending' && Number(delivery.sends) === job.payload.send
  );
}

async function send(deps: Deps, job: Job, timeoutMs: number): Promise<Outcome> {
  const db = deps.store.db;
  const delivery = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', job.payload.deliveryId)
    .executeTakeFirst();
  if (!isCurrent(delivery, job)) return { kind: 'skip' };
  const endpoint = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', delivery.endpoint_id)
    .executeTakeFirst();
  if (!endpoint) return { kind: 'skip' };
  if (endpoint.disabled_at !== null) return { kind: 'disabled' };
  const at = deps.clock.now();
  const secrets = await Promise.all(
    (await signingSecrets(db, endpoint.id, at)).map((s) =>
      openSecret(db, deps.vaultKeys, secretBinding(s), {
        ciphertext: s.secret_ciphertext,
        iv: s.secret_iv,
        tag: s.secret_tag,
        dataKeyId: s.data_key_id,
      }),
    ),
  );
  const headers = {
    ...webhookHeaders(secrets, delivery.message_id, at, delivery.payload),
    'user-agent': 'Baton-Webhooks/1',
  };
  const started = performance.now();
  const duration = () => Math.round(performance.now() - started);
  try {
    const answer = await postBody(
      deps.destinations ?? publicDestinationsOnly,
      endpoint.url,
      delivery.payload,
      {
        headers,
        timeoutMs,
        excerptBytes: EXCERPT_BYTES,
      },
    );
    const retryAfter = answer.headers['retry-after'];
    return {
      kind: 'sent',
      at,
      durationMs: duration(),
      status: answer.status,
      excerpt: answer.excerpt,
      error: answer.status >= 200 && answer.status < 300 ? null : `The receiver answered ${answer.status}`,
      retryAfterMs:
        answer.status === 429 || answer.status === 503
          ? parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, at)
          : null,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      kind: 'sent',
      at,
      durationMs: duration(),
      status: null,
      excerpt: null,
      error: message.slice(0, 500),
      retryAfterMs: null,
    };
  }
}

async function record(trx: Tx, job: Job, outcome: Outcome, now: Date, random: () => number): Promise<void> {
  if (outcome.kind === 'skip') return;
  const delivery = await trx
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', job.payload.deliveryId)
    .executeTakeFirst();
  // Replayed, deleted or settled meanwhile: this send's result no longer decides anything.
  if (!isCurrent(delivery, job)) return;
  const updatedAt = now.toISOString();
  if (outcome.kind === 'disabled') {
    await trx
      .updateTable('webhook_deliveries')
      .set({
        state: 'dead',
        next_attempt_at: null,
        last_error: 'The endpoint is disabled',
        updated_at: updatedAt,
      })
      .where('id', '=', delivery.id)
      .execute();
    return;
  }
  await trx
    .insertInto('webhook_attempts')
    .values({
      id: newId(outcome.at.getTime()),
      org_id: delivery.org_id,
      delivery_id: delivery.id,
      attempted_at: outcome.at.toISOString(),
      status: outcome.status,
      duration_ms: outcome.durationMs,
      response_excerpt: outcome.excerpt,
      error: outcome.error,
    })
    .execute();
  const attempts = Number(delivery.attempts) + 1;
  const runAttempts = Number(delivery.run_attempts) + 1;
  const done = { attempts, run_attempts: runAttempts, last_status: outcome.status, updated_at: updatedAt };
  if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) {
    await trx
      .updateTable('webhook_deliveries')
      .set({ ...done, state: 'delivered', next_attempt_at: null, last_error: null })
      .where('id', '=', delivery.id)
      .execute();
    return;
  }
  if (outcome.status === 410) {
    const reason = `The receiver answered 410 Gone at ${outcome.at.toISOString()}: it wants no more deliveries. Enable the endpoint again once it does.`;
    await trx
      .updateTable('webhook_endpoints')
      .set({ disabled_at: updatedAt, disabled_reason: reason, updated_at: updatedAt })
      .where('id', '=', delivery.endpoint_id)
      .where('disabled_at', 'is', null)
      .execute();
    await trx
      .updateTable('webhook_deliveries')
      .set({ ...done, state: 'dead', next_attempt_at: null, last_error: 'The receiver answered 410 Gone' })
      .where('id', '=', delivery.id)
      .execute();
    return;
  }
  const next = nextAttemptAt({
    runStartedAt: new Date(delivery.run_started_at),
    attempts: runAttempts,
    now,
    retryAfterMs: outcome.retryAfterMs,
    random: random(),
  });
  if (!next) {
    await trx
      .updateTable('webhook_deliveries')
      .set({ ...done, state: 'dead', next_attempt_at: null, last_error: outcome.error })
      .where('id', '=', delivery.id)
      .execute();
    return;
  }
  const sends = Number(delivery.sends) + 1;
  await trx
    .updateTable('webhook_deliveries')
    .set({ ...done, sends, next_attempt_at: next.toISOString(), last_error: outcome.error })
    .where('id', '=', delivery.id)
    .execute();
  await enqueueSend(trx, { id: delivery.id, org_id: delivery.org_id, sends }, next, now);
}
