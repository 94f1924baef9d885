import type { Selectable } from 'kysely';
import { type Static, Type } from 'typebox';
import type { Database } from '../kernel/db/schema.js';
import { Nullable } from '../kernel/http/schemas.js';

const JOB_STATUSES = ['pending', 'done', 'dead'] as const;

/** A dead-lettered job as the API shows it: what it was, how often it was tried, why it failed, when. */
export const DeadJobSchema = Type.Object({
  id: Type.String(),
  kind: Type.String({
    description: 'send_email, send_webhook, checkpoint_due, review_nudge, send_audit_head, …',
  }),
  version: Type.Integer({ description: "The version of the kind's definition that wrote the payload" }),
  dedupe_key: Type.String({
    description: 'Names the event the job was for (`email:handoff_submitted:<handoff>:<revision>`, …)',
  }),
  status: Type.Union(JOB_STATUSES.map((s) => Type.Literal(s))),
  attempts: Type.Integer({ description: 'Attempts made (0 once retried)' }),
  last_error: Nullable(Type.String({ description: 'Why the last attempt failed' })),
  created_at: Type.String(),
  failed_at: Nullable(Type.String({ description: 'When it was dead-lettered (null once retried)' })),
});
export type DeadJobView = Static<typeof DeadJobSchema>;

/** The columns a view is made of (the payload stays out: it may carry a webhook URL, a secret of its own). */
export const DEAD_JOB_COLUMNS = [
  'id',
  'kind',
  'version',
  'dedupe_key',
  'status',
  'attempts',
  'last_error',
  'created_at',
  'finished_at',
] as const;

type DeadJobRow = Pick<Selectable<Database['scheduled_jobs']>, (typeof DEAD_JOB_COLUMNS)[number]>;

/** The view of a job row read with `DEAD_JOB_COLUMNS`; `failed_at` only while it is dead. */
export function toDeadJobView(row: DeadJobRow): DeadJobView {
  return {
    id: row.id,
    kind: row.kind,
    version: Number(row.version),
    dedupe_key: row.dedupe_key,
    status: row.status as DeadJobView['status'],
    attempts: Number(row.attempts),
    last_error: row.last_error,
    created_at: row.created_at,
    failed_at: row.status === 'dead' ? row.finished_at : null,
  };
}
