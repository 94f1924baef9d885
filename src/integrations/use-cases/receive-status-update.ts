import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { PayloadError, parseJson } from '../domain/crm-deals.js';
import { kindSpec } from '../domain/inbound-kinds.js';
import { verifyFixedAuthorization, verifyHexHmac } from '../domain/inbound-signatures.js';
import { idOf, isObject } from '../domain/payload-values.js';
import {
  completeInboundEvent,
  loadInboundSource,
  openSourceSecret,
  recordInboundEvent,
} from '../inbound-sources.js';
import type { InboundRequest } from './receive-crm-deals.js';
import { refuseMalformed, refuseUnverified } from './refuse-inbound.js';

/** One status change a project or ticketing tool sent. */
interface StatusChange {
  externalId: string;
  /** The engagement's external id in that tool (`clickup: <task id>`, `procore: <project id>`). */
  recordId: string;
  status: string;
  reachedAt: string | null;
}

export interface StatusOutcome {
  external_id: string;
  outcome: 'recorded' | 'duplicate' | 'refused';
  engagement_id: string | null;
  milestone: string | null;
  problems: ErrorDetail[];
}

/** ClickUp `taskStatusUpdated`: one change per status history item of the task. */
function clickupChanges(body: unknown): StatusChange[] | null {
  if (!isObject(body) || !idOf(body.task_id) || !Array.isArray(body.history_items)) return null;
  const task = idOf(body.task_id)!;
  return body.history_items.flatMap((item): StatusChange[] => {
    if (!isObject(item) || item.field !== 'status' || !idOf(item.id) || !isObject(item.after)) return [];
    const date = Number(item.date);
    return [
      {
        externalId: idOf(item.id)!,
        recordId: task,
        status: String(item.after.status ?? ''),
        reachedAt: Number.isFinite(date) && date > 0 ? new Date(date).toISOString() : null,
      },
    ];
  });
}

/** Procore webhook v2.0: `<resource_name>.<event_type>` of the project is the status. */
function procoreChanges(body: unknown): StatusChange[] | null {
  if (!isObject(body) || !idOf(body.id) || !idOf(body.project_id) || typeof body.resource_name !== 'string')
    return null;
  const at =
    typeof body.timestamp === 'string' && !Number.isNaN(Date.parse(body.timestamp)) ? body.timestamp : null;
  return [
    {
      externalId: idOf(body.id)!,
      recordId: idOf(body.project_id)!,
      status: `${body.resource_name}.${String(body.event_type ?? '')}`,
      reachedAt: at ? new Date(at).toISOString() : null,
    },
  ];
}

/**
 * A project or ticketing tool says a status changed (`POST /api/v1/inbound/status/{source}`): verified
 * by the source's scheme, each change finds the engagement carrying the tool's id (`clickup` task,
 * `procore` project, among its external ids) and records the milestone the source's config maps the
 * status to; a change seen before is a `duplicate`.
 */
export async function receiveStatusUpdate(
  deps: Deps,
  request: InboundRequest,
): Promise<{ events: StatusOutcome[] }> {
  const db = deps.store.db;
  const source = await loadInboundSource(db, request.sourceId);
  const spec = source && kindSpec(source.kind);
  if (!source || !spec || spec.purpose !== 'status' || !source.enabled)
    throw new AppError('not_found', 'No such inbound source, or it is disabled.');
  const now = deps.clock.now();
  const secret = await openSourceSecret(db, deps.vaultKeys, source);
  if (!secret) return refuseUnverified(deps, source, now, null);
  const verdict =
    source.kind === 'clickup'
      ? verifyHexHmac(request.headers, 'x-signature', request.body, secret)
      : verifyFixedAuthorization(request.headers, secret);
  if (!verdict.ok) return refuseUnverified(deps, source, now, verdict);
  let body: unknown;
  try {
    body = parseJson(request.body);
  } catch (e) {
    if (!(e instanceof PayloadError)) throw e;
    return refuseMalformed(deps, source, now, e.problems);
  }
  const changes = source.kind === 'clickup' ? clickupChanges(body) : procoreChanges(body);
  if (!changes)
    return refuseMalformed(deps, source, now, [
      { path: '/', message: `is not a ${source.kind} status event` },
    ]);
  const config = JSON.parse(source.config) as { milestones: Record<string, string> };
  const byStatus = new Map(Object.entries(config.milestones).map(([k, v]) => [k.toLowerCase(), v]));
  const events: StatusOutcome[] = [];
  for (const change of changes) {
    events.push(
      await inTransaction(deps, async (trx): Promise<StatusOutcome> => {
        const eventId = await recordInboundEvent(trx, {
          source,
          externalId: change.externalId,
          outcome: 'recorded',
          problems: [],
          summary: change.status,
          now,
        });
        const answer = { external_id: change.externalId, engagement_id: null, milestone: null };
        if (!eventId)
          return {
            ...answer,
            outcome: 'duplicate',
            problems: [{ path: '/', message: 'this event was received before: nothing done' }],
          };
        const engagement = await trx
          .selectFrom('record_external_ids')
          .select('record_id')
          .where('org_id', '=', source.org_id)
          .where('record_type', '=', 'engagement')
          .where('system', '=', source.kind)
          .where('external_id', '=', change.recordId)
          .executeTakeFirst();
        const milestone = byStatus.get(change.status.toLowerCase()) ?? null;
        const problems: ErrorDetail[] = [];
        if (!engagement)
          problems.push({
            path: '/engagement',
            message: `no engagement carries the external id ${source.kind}: ${change.recordId}`,
          });
        if (!milestone)
          problems.push({
            path: '/status',
            message: `the status "${change.status}" maps to no milestone in this source's config`,
          });
        if (engagement && milestone) {
          await trx
            .insertInto('engagement_milestones')
            .values({
              id: newId(),
              org_id: source.org_id,
              engagement_id: engagement.record_id,
              milestone,
              status: change.status,
              source_id: source.id,
              inbound_event_id: eventId,
              reached_at: change.reachedAt ?? now.toISOString(),
              created_at: now.toISOString(),
            })
            .execute();
        }
        const outcome = engagement ? 'recorded' : 'refused';
        await completeInboundEvent(trx, eventId, {
          outcome,
          problems,
          result: { engagement_id: engagement?.record_id ?? null, milestone },
          summary: `${change.status}${milestone ? ` → ${milestone}` : ''}`,
        });
        return {
          ...answer,
          outcome,
          engagement_id: engagement?.record_id ?? null,
          milestone: engagement ? milestone : null,
          problems,
        };
      }),
    );
  }
  return { events };
}
