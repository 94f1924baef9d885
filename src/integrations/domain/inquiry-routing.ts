import type { InquiryRule } from '../../playbooks/domain/after-closeout.js';
import type { InquiryMail } from './inquiry-mail.js';

/*
 * Where a client's e-mail to an implementation lead goes (docs/design-integrations.md,
 * "Inquiries after closeout"; the rules are the playbook's `after_closeout`):
 *
 * 1. The engagements whose implementation lead (owner) is among the recipients are the candidates;
 *    none: unmatched, `no_lead_addressed`.
 * 2. The sender must belong to the candidate's account, as its playbook says: a contact's address
 *    (`account_contacts`) or a contact's domain (`account_domain`); none: `sender_not_of_account`.
 * 3. Of those, the engagement closed out most recently, else the newest.
 * 4. Its playbook must route inquiries (`no_rule` otherwise: no handoff, or no `after_closeout`).
 * 5. Closed out: a task for the service owner (`no_service_owner` when none is recorded) and the
 *    playbook's reply to the client. Not yet: `leave_with_lead` records it (`not_closed_out`);
 *    `task_for_lead` makes it a task for the lead, without a reply.
 */

export interface Person {
  id: string;
  name: string;
  email: string;
}

export interface Candidate {
  engagementId: string;
  engagementName: string;
  createdAt: string;
  closedOutAt: string | null;
  lead: Person;
  /** The service lead recorded at closeout, if any and still active. */
  serviceOwner: Person | null;
  /** The engagement's latest handoff (not withdrawn): the task is one of its checkpoints. */
  handoff: { id: string; sendingTeamId: string; receivingTeamId: string } | null;
  /** The playbook's `after_closeout`, defaults filled; null when it has none. */
  rule: InquiryRule | null;
  /** The account's contacts that have an address. */
  contacts: { name: string; email: string }[];
}

export const UNMATCHED_REASONS = [
  'no_lead_addressed',
  'sender_not_of_account',
  'no_rule',
  'not_closed_out',
  'no_service_owner',
] as const;
export type UnmatchedReason = (typeof UNMATCHED_REASONS)[number];

export type Routing =
  | {
      outcome: 'routed';
      candidate: Candidate & { handoff: NonNullable<Candidate['handoff']>; rule: InquiryRule };
      assignee: Person;
      /** Whose team owns the task: the receiving team for the service owner, the sending one for the lead. */
      ownerTeamId: string;
      /** The client is sent the playbook's reply (the caller may still skip it, saying why). */
      reply: boolean;
      client: { name: string; email: string };
      why: string;
    }
  | { outcome: 'unmatched'; reason: UnmatchedReason; why: string; candidate: Candidate | null };

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

/** The contact the sender is, or (for `account_domain`) whether they share a contact's domain. */
function senderOf(c: Candidate, email: string): { matches: boolean; contactName: string | null } {
  const contact = c.contacts.find((k) => k.email.toLowerCase() === email);
  if (contact) return { matches: true, contactName: contact.name };
  const domain = domainOf(email);
  const sameDomain =
    c.rule?.senders === 'account_domain' &&
    c.contacts.some((k) => domainOf(k.email.toLowerCase()) === domain);
  return { matches: sameDomain, contactName: null };
}

const names = (cs: readonly Candidate[]) => cs.map((c) => `"${c.engagementName}"`).join(', ');

export function routeInquiry(mail: InquiryMail, candidates: readonly Candidate[]): Routing {
  if (candidates.length === 0)
    return {
      outcome: 'unmatched',
      reason: 'no_lead_addressed',
      why: 'No recipient is the implementation lead of an engagement.',
      candidate: null,
    };
  const sender = mail.from.email;
  const matching = candidates
    .map((c) => ({ c, who: senderOf(c, sender) }))
    .filter((m) => m.who.matches)
    .sort(
      (a, b) =>
        (b.c.closedOutAt ?? '').localeCompare(a.c.closedOutAt ?? '') ||
        b.c.createdAt.localeCompare(a.c.createdAt) ||
        a.c.engagementId.localeCompare(b.c.engagementId),
    );
  const first = matching[0];
  if (!first)
    return {
      outcome: 'unmatched',
      reason: 'sender_not_of_account',
      why: `${sender} is not a contact of the account of ${names(candidates)}.`,
      candidate: candidates.length === 1 ? candidates[0]! : null,
    };
  const { c, who } = first;
  if (!c.handoff || !c.rule)
    return {
      outcome: 'unmatched',
      reason: 'no_rule',
      why: c.handoff
        ? `The playbook of "${c.engagementName}" has no after_closeout section: its inquiries are not routed.`
        : `"${c.engagementName}" has no handoff, so no playbook says how to route its inquiries.`,
      candidate: c,
    };
  const client = {
    name: who.contactName ?? mail.from.name ?? sender.slice(0, sender.indexOf('@')),
    email: sender,
  };
  const routed = { candidate: { ...c, handoff: c.handoff, rule: c.rule }, client };
  if (!c.closedOutAt) {
    if (c.rule.beforeCloseout === 'task_for_lead')
      return {
        outcome: 'routed',
        ...routed,
        assignee: c.lead,
        ownerTeamId: c.handoff.sendingTeamId,
        reply: false,
        why: `"${c.engagementName}" is not closed out: a task for its implementation lead, ${c.lead.name}.`,
      };
    return {
      outcome: 'unmatched',
      reason: 'not_closed_out',
      why: `"${c.engagementName}" is not closed out: ${c.lead.name} is still the client's contact.`,
      candidate: c,
    };
  }
  if (!c.serviceOwner)
    return {
      outcome: 'unmatched',
      reason: 'no_service_owner',
      why: `"${c.engagementName}" is closed out but names no service lead to route to.`,
      candidate: c,
    };
  return {
    outcome: 'routed',
    ...routed,
    assignee: c.serviceOwner,
    ownerTeamId: c.handoff.receivingTeamId,
    reply: true,
    why: `"${c.engagementName}" is closed out: a task for its service owner, ${c.serviceOwner.name}.`,
  };
}
