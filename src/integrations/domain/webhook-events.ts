import type { Static } from 'typebox';
import type { DomainEventType, EventOf } from '../../kernel/event-types.js';
import {
  PING,
  type WebhookCheckpointSchema,
  type WebhookData,
  type WebhookEngagementSchema,
  type WebhookHandoffSchema,
  type WebhookPayload,
  type WebhookQuestionSchema,
} from './webhook-payload.js';

/**
 * Which domain events leave Baton as outbound webhooks, and what they say. Every event type of the
 * union is listed in `PUBLIC_EVENTS` (a new type does not compile until someone decides: public,
 * with its payload, or `null`), so nothing is sent by accident. Only real state is public: a
 * handoff once submitted, never its draft or the packet itself; checkpoints; the closeout signed
 * and closed out; the client's answers. What is internal bookkeeping, or carries secrets (the
 * vault, portal links), is not (decision 0012-outbound-webhooks).
 */

type Mapper<K extends DomainEventType> = (event: EventOf<K>) => WebhookData;

function handoffOf(h: EventOf<'handoff.submitted'>['handoff']): Static<typeof WebhookHandoffSchema> {
  return {
    id: h.id,
    engagement_id: h.engagement_id,
    playbook: h.playbook_key,
    transition: h.transition_key,
    title: h.title,
    state: h.state,
    revision: h.revision,
    sending_team_id: h.sending_team_id,
    receiving_team_id: h.receiving_team_id,
    submitted_at: h.submitted_at,
    decided_at: h.decided_at,
    updated_at: h.updated_at,
  };
}

function questionOf(q: EventOf<'handoff.question_asked'>['question']): Static<typeof WebhookQuestionSchema> {
  return { id: q.id, path: q.path, body: q.body, answer: q.answer, revision: q.revision };
}

function checkpointOf(c: EventOf<'checkpoint.opened'>['checkpoint']): Static<typeof WebhookCheckpointSchema> {
  return {
    id: c.id,
    handoff_id: c.handoff_id,
    engagement_id: c.engagement_id,
    key: c.def_key,
    name: c.name,
    kind: c.kind,
    state: c.state,
    due_at: c.due_at,
    owner_team_id: c.owner_team_id,
    completed_at: c.completed_at,
    waive_reason: c.waive_reason,
  };
}

function engagementOf(
  e: EventOf<'engagement.closed_out'>['engagement'],
): Static<typeof WebhookEngagementSchema> {
  return {
    id: e.id,
    account_id: e.account_id,
    name: e.name,
    stage: e.stage,
    service_lead_user_id: e.service_lead_user_id,
    closed_out_at: e.closed_out_at,
  };
}

const moved = (
  e: EventOf<'handoff.withdrawn' | 'handoff.delivery_started' | 'handoff.closed'>,
): WebhookData => ({
  handoff: handoffOf(e.handoff),
  from: e.from,
  note: e.note,
});

/**
 * Every event type: its public payload, or `null` when it never leaves Baton. Keyed by the whole
 * union, so a new event type fails to compile here until it is decided.
 */
export const PUBLIC_EVENTS: { readonly [K in DomainEventType]: Mapper<K> | null } = {
  // Handoffs: real state only, from submission on. The draft (created, edited) and the review
  // nudge (a reminder, not a change) stay inside.
  'handoff.created': null,
  'handoff.packet_edited': null,
  'handoff.review_overdue': null,
  'handoff.submitted': (e) => ({ handoff: handoffOf(e.handoff), from: e.from }),
  'handoff.question_asked': (e) => ({ handoff: handoffOf(e.handoff), question: questionOf(e.question) }),
  'handoff.question_answered': (e) => ({ handoff: handoffOf(e.handoff), question: questionOf(e.question) }),
  'handoff.amended': (e) => ({ handoff: handoffOf(e.handoff), from: e.from }),
  'handoff.accepted': (e) => ({ handoff: handoffOf(e.handoff), from: e.from, note: e.note }),
  'handoff.rejected': (e) => ({
    handoff: handoffOf(e.handoff),
    from: e.from,
    reason_code: e.reasonCode,
    explanation: e.explanation,
  }),
  'handoff.withdrawn': moved,
  'handoff.delivery_started': moved,
  'handoff.closed': moved,
  // Checkpoints and milestones
  'checkpoint.opened': (e) => ({ checkpoint: checkpointOf(e.checkpoint) }),
  'checkpoint.completed': (e) => ({ checkpoint: checkpointOf(e.checkpoint), from: e.from }),
  'checkpoint.waived': (e) => ({ checkpoint: checkpointOf(e.checkpoint), from: e.from }),
  'checkpoint.overdue': (e) => ({ checkpoint: checkpointOf(e.checkpoint), from: e.from }),
  'milestone.recorded': (e) => ({
    handoff: handoffOf(e.handoff),
    milestone: { key: e.key, at: e.milestoneAt, previous_at: e.previousAt },
  }),
  // The closeout and the client's answers
  'service_lead.introduced': (e) => ({ engagement: engagementOf(e.engagement) }),
  'engagement.closed_out': (e) => ({ engagement: engagementOf(e.engagement) }),
  'closeout.signed_off': (e) => ({
    engagement_id: e.signoff.engagement_id,
    signoff: {
      id: e.signoff.id,
      contact_id: e.signoff.contact_id,
      signer_name: e.signoff.signer_name,
      package_sha256: e.signoff.package_sha256,
      signed_at: e.signoff.signed_at,
    },
  }),
  'survey.answered': (e) => ({
    engagement_id: e.response.engagement_id,
    survey: {
      id: e.response.id,
      contact_id: e.response.contact_id,
      csat: e.response.csat,
      nps: e.response.nps,
      answered_at: e.response.answered_at,
    },
  }),
  'portal.confirmed': (e) => ({
    engagement_id: e.confirmation.engagement_id,
    confirmation: {
      id: e.confirmation.id,
      contact_id: e.confirmation.contact_id,
      differences: e.differences.length,
      confirmed_at: e.confirmation.confirmed_at,
    },
  }),
  // Inside only: records kept as the work goes (each has its own API), secrets and links to them.
  'portal.link_created': null,
  'portal.link_revoked': null,
  'promise.recorded': null,
  'promise.updated': null,
  'promise.removed': null,
  'promises.reconciled': null,
  'warranty.recorded': null,
  'warranty.updated': null,
  'warranty.removed': null,
  'punch_item.added': null,
  'punch_item.updated': null,
  'change_order.identified': null,
  'change_order.moved': null,
  'training.recorded': null,
  'training.removed': null,
  'debrief.recorded': null,
  'file.uploaded': null,
  'inventory.item_added': null,
  'inventory.item_updated': null,
  'inventory.item_removed': null,
  'inventory.imported': null,
  'vault.entry_saved': null,
  'vault.entry_removed': null,
  'vault.revealed': null,
  'vault.data_key_rewrapped': null,
  // A client's e-mail routed as a task (its words stay inside; the task it opens is public as
  // `checkpoint.opened`), and a CSV import of records (each record has its own list).
  'inquiry.routed': null,
  'records.imported': null,
  // Signals and quiet accounts (issue 15): not public yet.
  'signal.batch_ingested': null,
  'account.went_quiet': null,
  'signal_settings.updated': null,
  // Health scores (issue 15): not public yet.
  'health_settings.updated': null,
  'health.scored': null,
  // Revenue records (issue 15): figures of the business, kept inside.
  'revenue.recorded': null,
  'revenue.removed': null,
};

/** The event types that leave Baton, in the order above; `ping` is the test message's. */
export const PUBLIC_EVENT_TYPES = (Object.keys(PUBLIC_EVENTS) as DomainEventType[]).filter(
  (type) => PUBLIC_EVENTS[type] !== null,
);

/** The public payload of an event (`{ type, timestamp, data }`), or null when the type is not public. */
export function webhookPayloadOf(event: { type: DomainEventType; at: Date }): WebhookPayload | null {
  const mapper = PUBLIC_EVENTS[event.type] as Mapper<DomainEventType> | null;
  if (!mapper) return null;
  return {
    type: event.type,
    timestamp: event.at.toISOString(),
    data: mapper(event as EventOf<DomainEventType>),
  };
}

/** Whether an endpoint's event types (`*` for all) take an event of this type. */
export function wantsEvent(eventTypes: readonly string[], type: string): boolean {
  return type === PING || eventTypes.includes('*') || eventTypes.includes(type);
}
