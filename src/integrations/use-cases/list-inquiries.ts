import type { Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { InquiriesTable } from '../inquiry-records.js';
import type { Inquiry } from '../inquiry-schema.js';

export interface ListInquiriesQuery {
  outcome?: Inquiry['outcome'];
  limit?: number;
  offset?: number;
}

export function inquiryView(row: InquiriesTable): Inquiry {
  return {
    id: row.id,
    source_id: row.source_id,
    received_at: row.received_at,
    outcome: row.outcome as Inquiry['outcome'],
    reason: row.reason,
    why: row.why,
    message_id: row.message_id,
    sender_email: row.sender_email,
    sender_name: row.sender_name,
    recipients: JSON.parse(row.recipients) as string[],
    subject: row.subject,
    engagement_id: row.engagement_id,
    handoff_id: row.handoff_id,
    assignee_user_id: row.assignee_user_id,
    replied_to: row.replied_to,
    reply_skipped: row.reply_skipped,
  };
}

/** The organisation's inquiries, newest first: what was routed, what was not and why, what was refused. */
export async function listInquiries(
  deps: Deps,
  principal: Principal,
  query: ListInquiriesQuery,
): Promise<{ items: Inquiry[]; total: number }> {
  requireCapability(principal, 'manage_identity', 'list inquiries');
  let q = deps.store.db.selectFrom('inquiries').where('org_id', '=', principal.orgId);
  if (query.outcome) q = q.where('outcome', '=', query.outcome);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit ?? 50)
    .offset(query.offset ?? 0)
    .execute();
  return { items: rows.map(inquiryView), total: Number(total.n) };
}
