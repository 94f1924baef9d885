import { Type } from 'typebox';
import type { Db, Deps, Tx } from '../kernel/context.js';
import { newId } from '../kernel/ids.js';
import { publicDestinationsOnly } from '../kernel/outbound/destination-guard.js';
import { postBody } from '../kernel/outbound/post-body.js';
import { defineJob, type RunningJob } from '../scheduler/define-job.js';
import { openSecret } from '../vault/data-keys.js';
import { nextAttemptAt, parseRetryAfter } from './domain/webhook-retry.js';
import { webhookHeaders } from './domain/webhook-signature.js';
import {
  secretBinding,
  signingSecrets,
  type WebhookDeliveriesTable,
  type WebhookSecretsTable,
} from './webhook-records.js';

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
  | { kind: 'disabled'; delivery: WebhookDeliveriesTable }
  | {
      kind: 'sent';
      /** The delivery as the send read it: the commit changes it only if it is still so. */
      delivery: WebhookDeliveriesTable;
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
  handle: ({ deps, timeoutMs = 10_000, random = Math.random }: WebhookDelivering) => {
    const secrets = new OpenedSecrets();
    return {
      async perform(job) {
        outcomes.set(job, await send(deps, job, timeoutMs, secrets));
      },
      async commit(trx, job, now) {
        const outcome = outcomes.get(job) ?? { kind: 'skip' };
        outcomes.delete(job);
        await record(trx, job, outcome, now, random);
      },
    };
  },
});

/**
 * The secrets a worker has opened, by secret row (a row's sealed value never changes: a rotation
 * makes a new row), so a burst of deliveries to one endpoint opens its secret once rather than
 * once per send. Which rows still sign is read from the database at each send. Bounded: past
 * `MAX_OPENED` it starts afresh.
 */
class OpenedSecrets {
  private static readonly MAX_OPENED = 1000;
  private readonly byRow = new Map<string, string>();

  async of(deps: Deps, rows: readonly WebhookSecretsTable[]): Promise<string[]> {
    return Promise.all(
      rows.map(async (s) => {
        const known = this.byRow.get(s.id);
        if (known !== undefined) return known;
        const secret = await openSecret(deps.store.db, deps.vaultKeys, secretBinding(s), {
          ciphertext: s.secret_ciphertext,
          iv: s.secret_iv,
          tag: s.secret_tag,
          dataKeyId: s.data_key_id,
        });
        if (this.byRow.size >= OpenedSecrets.MAX_OPENED) this.byRow.clear();
        this.byRow.set(s.id, secret);
        return secret;
      }),
    );
  }
}

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

async function send(deps: Deps, job: Job, timeoutMs: number, opened: OpenedSecrets): Promise<Outcome> {
  const db = deps.store.db;
  const found = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .selectAll('d')
    .select(['e.url as endpoint_url', 'e.disabled_at as endpoint_disabled_at'])
    .where('d.id', '=', job.payload.deliveryId)
    .executeTakeFirst();
  if (!found) return { kind: 'skip' };
  const { endpoint_url: url, endpoint_disabled_at: disabledAt, ...delivery } = found;
  if (!isCurrent(delivery, job)) return { kind: 'skip' };
  if (disabledAt !== null) return { kind: 'disabled', delivery };
  const at = deps.clock.now();
  const secrets = await opened.of(deps, await signingSecrets(db, delivery.endpoint_id, at));
  const headers = {
    ...webhookHeaders(secrets, delivery.message_id, at, delivery.payload),
    'user-agent': 'Baton-Webhooks/1',
  };
  const started = performance.now();
  const duration = () => Math.round(performance.now() - started);
  try {
    const answer = await postBody(deps.destinations ?? publicDestinationsOnly, url, delivery.payload, {
      headers,
      timeoutMs,
      excerptBytes: EXCERPT_BYTES,
    });
    const retryAfter = answer.headers['retry-after'];
    return {
      kind: 'sent',
      delivery,
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
      delivery,
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
  const { delivery } = outcome;
  const updatedAt = now.toISOString();
  /** Changes the delivery if it is still as the send read it (not replayed, deleted or settled). */
  const settle = async (changes: Partial<WebhookDeliveriesTable>): Promise<boolean> => {
    const result = await trx
      .updateTable('webhook_deliveries')
      .set({ ...changes, updated_at: updatedAt })
      .where('id', '=', delivery.id)
      .where('state', '=', 'pending')
      .where('sends', '=', job.payload.send)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  };
  if (outcome.kind === 'disabled') {
    await settle({ state: 'dead', next_attempt_at: null, last_error: 'The endpoint is disabled' });
    return;
  }
  const done = {
    attempts: Number(delivery.attempts) + 1,
    run_attempts: Number(delivery.run_attempts) + 1,
    last_status: outcome.status,
  };
  const delivered = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  const gone = outcome.status === 410;
  const next =
    delivered || gone
      ? null
      : nextAttemptAt({
          runStartedAt: new Date(delivery.run_started_at),
          attempts: done.run_attempts,
          now,
          retryAfterMs: outcome.retryAfterMs,
          random: random(),
        });
  const sends = Number(delivery.sends) + 1;
  const changed = delivered
    ? await settle({ ...done, state: 'delivered', next_attempt_at: null, last_error: null })
    : gone
      ? await settle({
          ...done,
          state: 'dead',
          next_attempt_at: null,
          last_error: 'The receiver answered 410 Gone',
        })
      : next
        ? await settle({ ...done, sends, next_attempt_at: next.toISOString(), last_error: outcome.error })
        : await settle({ ...done, state: 'dead', next_attempt_at: null, last_error: outcome.error });
  if (!changed) return;
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
  if (gone) {
    const reason = `The receiver answered 410 Gone at ${outcome.at.toISOString()}: it wants no more deliveries. Enable the endpoint again once it does.`;
    await trx
      .updateTable('webhook_endpoints')
      .set({ disabled_at: updatedAt, disabled_reason: reason, updated_at: updatedAt })
      .where('id', '=', delivery.endpoint_id)
      .where('disabled_at', 'is', null)
      .execute();
  }
  if (next) await enqueueSend(trx, { id: delivery.id, org_id: delivery.org_id, sends }, next, now);
}
