import { RECORD_IMPORT_AUDIT } from '../accounts/import-events.js';
import {
  advanceJourneyOnAcceptance,
  enterJourneyOnDraft,
  recordContractDate,
} from '../accounts/use-cases/journey-subscribers.js';
import { auditTrailOf } from '../audit/audit-of-events.js';
import { CHECKPOINT_AUDIT } from '../checkpoints/checkpoint-events.js';
import { refuseCloseWhileRequiredOpen, settleCheckpointsOn } from '../checkpoints/handoff-subscribers.js';
import { openInquiryTask } from '../checkpoints/inquiry-subscribers.js';
import {
  moveWarrantyReminder,
  openWarrantyReminder,
  waiveWarrantyReminder,
} from '../checkpoints/warranty-subscribers.js';
import { CHANGE_ORDER_AUDIT } from '../closeout/change-order-events.js';
import { CLOSEOUT_RECORDS_AUDIT } from '../closeout/closeout-records-events.js';
import { FILE_AUDIT } from '../closeout/file-events.js';
import { INVENTORY_AUDIT } from '../closeout/inventory-events.js';
import { VAULT_AUDIT } from '../closeout/vault-events.js';
import { HANDOFF_AUDIT } from '../handoffs/handoff-events.js';
import { HANDOFF_EVENT_TYPES } from '../handoffs/public.js';
import { INQUIRY_AUDIT } from '../integrations/inquiry-events.js';
import { deliverWebhooks, PUBLIC_EVENT_TYPES } from '../integrations/public.js';
import { Subscribers } from '../kernel/events.js';
import { recordCheckpointFacts } from '../metrics/facts/checkpoint-facts.js';
import {
  type HandoffEvent,
  recordContractSigned,
  recordHandoffFacts,
} from '../metrics/facts/handoff-facts.js';
import {
  recordPromiseFacts,
  recordReconciledPromises,
  recordSurveyFacts,
} from '../metrics/facts/record-facts.js';
import { handoffNotices } from '../notifications/handoff-notices.js';
import { fieldTitleOf } from '../playbooks/field-title.js';
import { PORTAL_AUDIT } from '../portal/portal-events.js';
import { sendSurveyOnCloseout } from '../portal/survey-on-closeout.js';
import { REVENUE_AUDIT } from '../revenue/revenue-events.js';
import { HEALTH_AUDIT } from '../signals/health-events.js';
import { SIGNAL_AUDIT } from '../signals/signal-events.js';
import { PROMISE_AUDIT } from '../substance/promise-events.js';
import { reconcileOnAmendment, reconcileOnSubmit } from '../substance/use-cases/reconcile-on-submit.js';
import { VAULT_KEY_AUDIT } from '../vault/vault-key-events.js';
import type {} from './audit-entries.js';
import { askTeamAboutDifferences } from './portal-questions.js';

/**
 * Who reacts to what: the one registry of Baton's subscribers, in the order they run. Every
 * process (the server, the CLI, the scheduler) and the tests run with it (`appDeps`), so a new
 * capability reacts to an event by adding a line here, without touching the code that emits it.
 *
 * The audit trail comes first, so an event's entries precede those of the reactions to it; the
 * other features follow in the order their reactions were made by hand before (records, then
 * checkpoints, then the engagement's journey, then the notices).
 */
const notices = handoffNotices(fieldTitleOf);

export const SUBSCRIBERS = Subscribers.empty()
  .onEvery(
    'audit: the entries each event is recorded as',
    auditTrailOf({
      ...HANDOFF_AUDIT,
      ...CHECKPOINT_AUDIT,
      ...PROMISE_AUDIT,
      ...PORTAL_AUDIT,
      ...VAULT_AUDIT,
      ...VAULT_KEY_AUDIT,
      ...FILE_AUDIT,
      ...INVENTORY_AUDIT,
      ...CLOSEOUT_RECORDS_AUDIT,
      ...INQUIRY_AUDIT,
      ...RECORD_IMPORT_AUDIT,
      ...SIGNAL_AUDIT,
      ...CHANGE_ORDER_AUDIT,
      ...HEALTH_AUDIT,
      ...REVENUE_AUDIT,
    }),
  )
  // The metrics' facts, before every other reaction, so the facts of what those reactions do
  // (checkpoints opened, promises recorded) find their handoff's (docs/metrics.md, "Facts")
  .onEach(HANDOFF_EVENT_TYPES, "metrics: the handoff's facts", (trx, e) =>
    recordHandoffFacts(trx, e as HandoffEvent),
  )
  .on('milestone.recorded', 'metrics: the contract date starts the first clock', recordContractSigned)
  .on('checkpoint.opened', "metrics: the checkpoint's facts", recordCheckpointFacts)
  .on(
    'checkpoint.completed',
    'metrics: how it was settled, its outcome, review gaps, kickoff',
    recordCheckpointFacts,
  )
  .on('checkpoint.waived', 'metrics: how it was settled', recordCheckpointFacts)
  .on('checkpoint.overdue', 'metrics: it went overdue', recordCheckpointFacts)
  .on('promise.recorded', "metrics: the promise's facts", recordPromiseFacts)
  .on('promise.updated', "metrics: the promise's status", recordPromiseFacts)
  .on('promise.removed', 'metrics: the promise is gone', recordPromiseFacts)
  .on('promises.reconciled', "metrics: the packet's promises", recordReconciledPromises)
  .on('survey.answered', 'metrics: CSAT and NPS', recordSurveyFacts)
  // A draft opened
  .on('handoff.created', 'checkpoints: open the ones anchored to it', settleCheckpointsOn('handoff.created'))
  .on('handoff.created', 'accounts: put the engagement at its first stage', enterJourneyOnDraft)
  // Submitted
  .on('handoff.submitted', 'substance: reconcile the records the packet maps to', reconcileOnSubmit)
  .on('handoff.submitted', 'checkpoints: settle, open and re-time', settleCheckpointsOn('handoff.submitted'))
  .on('handoff.submitted', 'notifications: tell the receivers', notices.tellOfSubmission)
  // Questions
  .on('handoff.question_asked', 'notifications: tell the senders', notices.tellOfQuestion)
  .on('handoff.question_answered', 'notifications: tell the asker', notices.tellOfAnswer)
  .on('handoff.amended', 'substance: reconcile the records the amended packet maps to', reconcileOnAmendment)
  // Decided
  .on('handoff.accepted', 'checkpoints: settle and open', settleCheckpointsOn('handoff.accepted'))
  .on('handoff.accepted', 'accounts: move the engagement to the next stage', advanceJourneyOnAcceptance)
  .on('handoff.rejected', 'checkpoints: settle and open', settleCheckpointsOn('handoff.rejected'))
  .on('handoff.rejected', 'notifications: tell the senders', notices.tellOfRejection)
  // Moved
  .on('handoff.withdrawn', 'checkpoints: waive every open one', settleCheckpointsOn('handoff.withdrawn'))
  .on(
    'handoff.delivery_started',
    'checkpoints: settle and open',
    settleCheckpointsOn('handoff.delivery_started'),
  )
  .on('handoff.closed', 'checkpoints: refuse while a required one is open', refuseCloseWhileRequiredOpen)
  .on('handoff.closed', 'checkpoints: settle the rest', settleCheckpointsOn('handoff.closed'))
  // Reminders
  .on('handoff.review_overdue', 'notifications: nudge the receivers', notices.tellOfUnopenedPacket)
  // Milestones
  .on('milestone.recorded', 'accounts: a contract_signed milestone is the contract date', recordContractDate)
  // The client portal
  .on('portal.confirmed', 'handoffs: each difference is a question to the team', askTeamAboutDifferences)
  .on('engagement.closed_out', 'portal: send the survey and time one reminder', sendSurveyOnCloseout)
  // The closeout's warranties and support contracts: a checkpoint before each expires
  .on('warranty.recorded', 'checkpoints: open the reminder before the expiry', openWarrantyReminder)
  .on('warranty.updated', 'checkpoints: move the reminder with the expiry', moveWarrantyReminder)
  .on('warranty.removed', 'checkpoints: waive the reminder', waiveWarrantyReminder)
  // Inquiries after closeout: a client's e-mail to the implementation lead, routed
  .on('inquiry.routed', "checkpoints: open the assignee's task", openInquiryTask)
  // Outbound webhooks, last: every public event type (decided in src/integrations/domain/webhook-events.ts)
  .onEach(PUBLIC_EVENT_TYPES, 'integrations: deliver to the webhook endpoints that want it', deliverWebhooks);
