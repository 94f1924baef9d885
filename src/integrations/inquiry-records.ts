import { sql } from 'kysely';
import { latestHandoffOf } from '../handoffs/public.js';
import type { Db } from '../kernel/context.js';
import type { InquiryRule } from '../playbooks/domain/after-closeout.js';
import { inquiryRuleOf } from '../playbooks/domain/after-closeout.js';
import { playbookById } from '../playbooks/playbook-cache.js';
import type { Candidate, Person } from './domain/inquiry-routing.js';

/** An e-mail an inbound-parse source forwarded, and what became of it (migration 0027-inquiries). */
export interface InquiriesTable {
  id: string;
  org_id: string;
  source_id: string;
  inbound_event_id: string;
  message_id: string | null;
  token_sha256: string | null;
  received_at: string;
  /** `routed` | `unmatched` | `refused`. */
  outcome: string;
  reason: string | null;
  why: string;
  sender_email: string | null;
  sender_name: string | null;
  /** JSON list of addresses. */
  recipients: string;
  subject: string | null;
  engagement_id: string | null;
  handoff_id: string | null;
  assignee_user_id: string | null;
  replied_to: string | null;
  reply_skipped: string | null;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    inquiries: InquiriesTable;
  }
}

/** At most this many engagements are weighed for one message (a lead of hundreds is not a lead). */
const MAX_CANDIDATES = 100;

/**
 * The engagements of the organisation whose implementation lead (owner) is one of `recipients`,
 * with what routing weighs of each: the service owner, the latest handoff and its playbook's
 * `after_closeout`, the account's contacts.
 */
export async function candidatesFor(
  db: Db,
  orgId: string,
  recipients: readonly string[],
): Promise<Candidate[]> {
  if (recipients.length === 0) return [];
  // A lead who has left (disabled) still counts: their old address is exactly where clients write.
  const leads = await db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('org_id', '=', orgId)
    .where(sql<string>`lower(email)`, 'in', [...recipients])
    .execute();
  if (leads.length === 0) return [];
  const engagements = await db
    .selectFrom('engagements')
    .select([
      'id',
      'name',
      'account_id',
      'owner_user_id',
      'service_lead_user_id',
      'closed_out_at',
      'created_at',
    ])
    .where('org_id', '=', orgId)
    .where(
      'owner_user_id',
      'in',
      leads.map((l) => l.id),
    )
    .orderBy('created_at', 'desc')
    .limit(MAX_CANDIDATES)
    .execute();
  if (engagements.length === 0) return [];
  const accountIds = [...new Set(engagements.map((e) => e.account_id))];
  const contacts = await db
    .selectFrom('contacts')
    .select(['account_id', 'name', 'email'])
    .where('org_id', '=', orgId)
    .where('account_id', 'in', accountIds)
    .where('email', 'is not', null)
    .execute();
  const ownerIds = [
    ...new Set(engagements.flatMap((e) => (e.service_lead_user_id ? [e.service_lead_user_id] : []))),
  ];
  const owners = ownerIds.length
    ? await db
        .selectFrom('users')
        .select(['id', 'name', 'email'])
        .where('org_id', '=', orgId)
        .where('id', 'in', ownerIds)
        .where('disabled_at', 'is', null)
        .execute()
    : [];
  const person = (rows: readonly Person[], id: string | null) => rows.find((r) => r.id === id) ?? null;
  const out: Candidate[] = [];
  for (const e of engagements) {
    const handoff = await latestHandoffOf(db, orgId, e.id);
    let rule: InquiryRule | null = null;
    if (handoff) {
      const def = (await playbookById(db, orgId, handoff.playbook_id)).playbook.afterCloseout;
      rule = def ? inquiryRuleOf(def) : null;
    }
    out.push({
      engagementId: e.id,
      engagementName: e.name,
      createdAt: e.created_at,
      closedOutAt: e.closed_out_at,
      lead: person(leads, e.owner_user_id)!,
      serviceOwner: person(owners, e.service_lead_user_id),
      handoff: handoff
        ? {
            id: handoff.id,
            sendingTeamId: handoff.sending_team_id,
            receivingTeamId: handoff.receiving_team_id,
          }
        : null,
      rule,
      contacts: contacts.flatMap((c) =>
        c.account_id === e.account_id && c.email ? [{ name: c.name, email: c.email }] : [],
      ),
    });
  }
  return out;
}

/** Whether the client was sent the introduction on this engagement already (one per sender). */
export async function introducedBefore(
  db: Db,
  orgId: string,
  engagementId: string,
  senderEmail: string,
): Promise<string | null> {
  const earlier = await db
    .selectFrom('inquiries')
    .select('received_at')
    .where('org_id', '=', orgId)
    .where('engagement_id', '=', engagementId)
    .where('sender_email', '=', senderEmail)
    .where('replied_to', 'is not', null)
    .orderBy('received_at')
    .limit(1)
    .executeTakeFirst();
  return earlier?.received_at ?? null;
}
