import { SYSTEM } from '../../kernel/actor.js';
import { type Deps, inTransaction, type Tx } from '../../kernel/context.js';
import { isUniqueViolation } from '../../kernel/db/dialect.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { notify } from '../../notifications/notify.js';
import { sendEmailJob } from '../../notifications/send-email-job.js';
import { renderReply } from '../../playbooks/domain/after-closeout.js';
import { excerptOf, type InquiryMail, readInquiryMail } from '../domain/inquiry-mail.js';
import { type Routing, routeInquiry } from '../domain/inquiry-routing.js';
import { type SignatureProblem, verifyBasic, verifyMailgun } from '../domain/inquiry-signature.js';
import { candidatesFor, type InquiriesTable, introducedBefore } from '../inquiry-records.js';
import type { InquiryReceipt } from '../inquiry-schema.js';
import { type InquirySource, inquirySourceSecret, loadInquirySource } from '../inquiry-source.js';

/** A request to the inquiry endpoint as the route hands it over: nothing parsed yet. */
export interface InquiryRequest {
  contentType: string;
  body: Buffer;
  authorization?: string;
  /**
   * Runs before a refusal is recorded or answered (an unknown or disabled source, a bad
   * signature): the route counts it against the caller's address, and throws 429 beyond the
   * limit, so a flood of forgeries records nothing more. Requests that prove themselves are not
   * counted, however many a provider sends at once.
   */
  beforeRefusal?: () => Promise<void>;
}

const notFound = () => new AppError('not_found', 'No such inbound source.');

/**
 * Receives an e-mail an inbound-parse source forwarded (docs/design-integrations.md, "Inquiries
 * after closeout"): checks the source's proof (Mailgun's signature, SendGrid's Basic credentials;
 * a refusal is recorded without the secret and answered 401), reads the message, and, in one
 * transaction, records it and routes it as the engagement's playbook says: a task for the service
 * owner (`inquiry.routed`, which the checkpoints feature opens), a notice to them, and the
 * playbook's reply to the client through the outbox. A message already received from the source
 * (same Message-ID: a provider's retry) is answered as a duplicate and does nothing.
 */
export async function receiveInquiry(
  deps: Deps,
  sourceId: string,
  request: InquiryRequest,
): Promise<InquiryReceipt> {
  const now = deps.clock.now();
  const source = await loadInquirySource(deps.store.db, sourceId);
  if (!source) {
    await request.beforeRefusal?.();
    throw notFound();
  }
  if (!source.enabled) {
    await request.beforeRefusal?.();
    await recordRefused(deps, source, { path: '/source', reason: 'the source is disabled' }, now);
    throw new AppError('forbidden', 'The inbound source is disabled.');
  }
  const secret = await inquirySourceSecret(deps.store.db, deps.vaultKeys, source);
  const refuse = async (problem: SignatureProblem): Promise<never> => {
    await request.beforeRefusal?.();
    await recordRefused(deps, source, problem, now);
    throw new AppError('unauthenticated', `The request does not prove it comes from ${source.name}.`, [
      { path: problem.path, message: problem.reason },
    ]);
  };
  if (secret === null) await refuse({ path: '/source', reason: 'the source has no secret to check against' });
  if (source.kind === 'sendgrid') {
    const verdict = verifyBasic(request.authorization, secret!, source.basicUser);
    if (!verdict.ok) await refuse(verdict.problem);
  }
  const fields = await formFields(request);
  let tokenSha256: string | null = null;
  if (source.kind === 'mailgun') {
    const verdict = verifyMailgun(fields, secret!, now, source.maxAgeSeconds);
    if (!verdict.ok) await refuse(verdict.problem);
    else tokenSha256 = verdict.tokenSha256;
  }
  const read = readInquiryMail(source.kind, fields);
  if (!read.ok) throw new AppError('validation_failed', 'The e-mail cannot be read.', read.problems);
  const mail = read.mail;
  let outcome: Awaited<ReturnType<typeof recordAndRoute>>;
  try {
    outcome = await inTransaction(deps, (trx) => recordAndRoute(trx, source, mail, tokenSha256, now));
  } catch (error) {
    // The same message from a retry arriving at the same moment: the first one recorded it.
    if (!isUniqueViolation(error)) throw error;
    outcome = await inTransaction(deps, (trx) => recordAndRoute(trx, source, mail, tokenSha256, now));
  }
  if (outcome.kind === 'token_reused')
    return refuse({ path: '/token', reason: 'was used already by another message' });
  return receiptOf(outcome.row, outcome.kind === 'duplicate');
}

/** The request's form fields (text fields; files, the attachments, are not kept). */
async function formFields(request: InquiryRequest): Promise<Map<string, string>> {
  const fields = new Map<string, string>();
  let form: FormData;
  try {
    form = await new Response(request.body, { headers: { 'content-type': request.contentType } }).formData();
  } catch {
    throw new AppError('validation_failed', 'The body is not readable multipart/form-data.', [
      { path: '/', message: 'is not multipart/form-data with a boundary, as the provider sends' },
    ]);
  }
  for (const [name, value] of form) {
    if (typeof value === 'string' && !fields.has(name)) fields.set(name, value);
  }
  return fields;
}

type Recorded =
  | { kind: 'duplicate'; row: InquiriesTable }
  | { kind: 'recorded'; row: InquiriesTable }
  | { kind: 'token_reused' };

async function recordAndRoute(
  trx: Tx,
  source: InquirySource,
  mail: InquiryMail,
  tokenSha256: string | null,
  now: Date,
): Promise<Recorded> {
  const known = await trx
    .selectFrom('inquiries')
    .selectAll()
    .where('source_id', '=', source.id)
    .where('message_id', '=', mail.messageId)
    .executeTakeFirst();
  if (known) return { kind: 'duplicate', row: known };
  if (tokenSha256) {
    const reused = await trx
      .selectFrom('inquiries')
      .select('id')
      .where('source_id', '=', source.id)
      .where('token_sha256', '=', tokenSha256)
      .executeTakeFirst();
    if (reused) return { kind: 'token_reused' };
  }
  const routing = routeInquiry(mail, await candidatesFor(trx, source.orgId, mail.recipients));
  const id = newId();
  const eventId = newId();
  let repliedTo: string | null = null;
  let replySkipped: string | null = null;
  if (routing.outcome === 'routed' && routing.reply) {
    const earlier = await introducedBefore(
      trx,
      source.orgId,
      routing.candidate.engagementId,
      mail.from.email,
    );
    if (mail.automatic)
      replySkipped = 'The message was sent automatically: no reply, so no robot answers a robot.';
    else if (earlier) replySkipped = `The client was introduced to the service owner already, at ${earlier}.`;
    else repliedTo = mail.from.email;
  }
  const routed = routing.outcome === 'routed' ? routing : null;
  const row: InquiriesTable = {
    id,
    org_id: source.orgId,
    source_id: source.id,
    inbound_event_id: eventId,
    message_id: mail.messageId,
    token_sha256: tokenSha256,
    received_at: now.toISOString(),
    outcome: routing.outcome,
    reason: routing.outcome === 'unmatched' ? routing.reason : null,
    why: routing.why,
    sender_email: mail.from.email,
    sender_name: mail.from.name,
    recipients: JSON.stringify(mail.recipients),
    subject: mail.subject,
    engagement_id: routing.candidate?.engagementId ?? null,
    handoff_id: routed?.candidate.handoff.id ?? null,
    assignee_user_id: routed?.assignee.id ?? null,
    replied_to: repliedTo,
    reply_skipped: replySkipped,
  };
  await insertInboundEvent(trx, row, {
    outcome: routed ? 'created' : 'recorded',
    problems: routing.outcome === 'unmatched' ? [{ path: pathOf(routing.reason), reason: routing.why }] : [],
    result: {
      inquiry_id: id,
      engagement_id: row.engagement_id,
      handoff_id: row.handoff_id,
      assignee_user_id: row.assignee_user_id,
    },
    summary: routed
      ? `Inquiry from ${mail.from.email} routed to ${routed.assignee.name}`
      : `Inquiry from ${mail.from.email} not routed: ${routing.why}`,
  });
  await trx.insertInto('inquiries').values(row).execute();
  if (routed) await routeIt(trx, row, routed, mail, now);
  return { kind: 'recorded', row };
}

/** The part of the message an unmatched reason is about. */
function pathOf(reason: string): string {
  return reason === 'no_lead_addressed' ? '/to' : reason === 'sender_not_of_account' ? '/from' : '/';
}

/** The task (through `inquiry.routed`), the assignee's notice, and the reply to the client. */
async function routeIt(
  trx: Tx,
  row: InquiriesTable,
  routing: Extract<Routing, { outcome: 'routed' }>,
  mail: InquiryMail,
  now: Date,
): Promise<void> {
  const { candidate, assignee, client } = routing;
  const subject = mail.subject || '(no subject)';
  const taskName = `Answer ${client.name}: ${subject}`.slice(0, 200);
  const excerpt = excerptOf(mail.text);
  const taskDescription = `${client.name} <${client.email}> wrote to ${candidate.lead.name} about "${candidate.engagementName}"${candidate.closedOutAt ? ', after its closeout' : ''}:\n\n${excerpt || '(no text)'}`;
  await publish(trx, {
    type: 'inquiry.routed',
    orgId: row.org_id,
    actor: SYSTEM,
    at: now,
    inquiry: row,
    engagementId: candidate.engagementId,
    handoffId: candidate.handoff.id,
    assigneeUserId: assignee.id,
    ownerTeamId: routing.ownerTeamId,
    taskName,
    taskDescription,
    taskDue: candidate.rule.taskDue,
  });
  await notify(
    trx,
    {
      orgId: row.org_id,
      kind: 'inquiry_routed',
      eventKey: `inquiry_routed:${row.id}`,
      to: [{ name: assignee.name, email: assignee.email, userId: assignee.id }],
      subject: `Client inquiry: ${subject}`.slice(0, 200),
      text: `${taskDescription}\n\n${row.replied_to ? `They were sent the playbook's reply introducing you (${assignee.name}).` : (row.reply_skipped ?? 'No reply was sent to them.')} The task to answer them is in your checkpoints.`,
      link: `/handoffs/${candidate.handoff.id}`,
    },
    now,
  );
  if (!row.replied_to) return;
  const org = await trx
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', row.org_id)
    .executeTakeFirstOrThrow();
  const values = {
    client_name: client.name,
    service_owner_name: assignee.name,
    service_owner_email: assignee.email,
    implementation_lead_name: candidate.lead.name,
    engagement_name: candidate.engagementName,
    organisation_name: org.name,
    subject,
  };
  await sendEmailJob.enqueue(
    trx,
    {
      dedupeKey: `email:inquiry_reply:${row.id}`,
      orgId: row.org_id,
      payload: {
        to: [row.replied_to],
        subject: renderReply(candidate.rule.replySubject, values)
          .replace(/[\r\n]+/g, ' ')
          .slice(0, 300),
        text: renderReply(candidate.rule.replyText, values),
        reply_to: assignee.email,
        ...(mail.messageId.startsWith('sha256:') ? {} : { in_reply_to: mail.messageId }),
        auto_replied: true,
      },
      availableAt: now,
    },
    now,
  );
}

/**
 * Records a request the source could not prove its own (or sent while disabled): in the sources'
 * log and among the inquiries, with why, never with the secret or the signature given.
 */
async function recordRefused(
  deps: Deps,
  source: InquirySource,
  problem: SignatureProblem,
  now: Date,
): Promise<void> {
  const why = `${problem.path}: ${problem.reason}`;
  const row: InquiriesTable = {
    id: newId(),
    org_id: source.orgId,
    source_id: source.id,
    inbound_event_id: newId(),
    message_id: null,
    token_sha256: null,
    received_at: now.toISOString(),
    outcome: 'refused',
    reason: problem.path === '/source' ? 'source_refused' : 'bad_signature',
    why,
    sender_email: null,
    sender_name: null,
    recipients: '[]',
    subject: null,
    engagement_id: null,
    handoff_id: null,
    assignee_user_id: null,
    replied_to: null,
    reply_skipped: null,
  };
  await inTransaction(deps, async (trx) => {
    await insertInboundEvent(trx, row, {
      outcome: 'refused',
      problems: [problem],
      result: {},
      summary: `Inquiry refused: ${why}`,
    });
    await trx.insertInto('inquiries').values(row).execute();
  });
}

/** The sources' shared log entry of an inquiry (`inbound_events`: a sibling's screen lists them). */
async function insertInboundEvent(
  trx: Tx,
  row: InquiriesTable,
  entry: { outcome: string; problems: SignatureProblem[]; result: object; summary: string },
): Promise<void> {
  await trx
    .insertInto('inbound_events')
    .values({
      id: row.inbound_event_id,
      org_id: row.org_id,
      source_id: row.source_id,
      external_id: row.message_id,
      received_at: row.received_at,
      outcome: entry.outcome,
      problems: JSON.stringify(entry.problems),
      result: JSON.stringify(entry.result),
      summary: entry.summary,
    })
    .execute();
}

function receiptOf(row: InquiriesTable, duplicate: boolean): InquiryReceipt {
  return {
    inquiry_id: row.id,
    duplicate,
    outcome: row.outcome as InquiryReceipt['outcome'],
    reason: row.reason,
    why: row.why,
    engagement_id: row.engagement_id,
    assignee_user_id: row.assignee_user_id,
    replied: row.replied_to !== null,
  };
}
