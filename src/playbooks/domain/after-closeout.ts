import { parseDueExpression } from '../../calendar/domain/due-expression.js';
import { didYouMean } from './did-you-mean.js';

/*
 * A playbook's `after_closeout` section (docs/playbooks.md, "After closeout"): what becomes of a
 * client's e-mail to the implementation lead once the engagement is closed out. It is routed to
 * the service owner as a task, and the client is sent the reply written here, introducing them.
 */

/** Whose inquiries are routed: the account's contacts (by address), or anyone at their domains. */
export const INQUIRY_SENDERS = ['account_contacts', 'account_domain'] as const;
export type InquirySenders = (typeof INQUIRY_SENDERS)[number];

/**
 * What an inquiry to the implementation lead becomes before the engagement is closed out: left
 * with the lead (recorded, not routed: they are still the client's contact), or a task for the lead.
 */
export const BEFORE_CLOSEOUT = ['leave_with_lead', 'task_for_lead'] as const;
export type BeforeCloseout = (typeof BEFORE_CLOSEOUT)[number];

/** The words a reply's subject and text may name as `{{word}}`. */
export const REPLY_PLACEHOLDERS = [
  'client_name',
  'service_owner_name',
  'service_owner_email',
  'implementation_lead_name',
  'engagement_name',
  'organisation_name',
  'subject',
] as const;
export type ReplyPlaceholder = (typeof REPLY_PLACEHOLDERS)[number];

/** The section as compiled (camelCase); absent keys take the defaults below. */
export interface AfterCloseoutDef {
  senders?: InquirySenders;
  beforeCloseout?: BeforeCloseout;
  /** When the service owner's task is due, counted from `received`: `1 business days after received`. */
  taskDue?: string;
  replySubject?: string;
  replyText: string;
}

/** The section with its defaults filled in. */
export interface InquiryRule {
  senders: InquirySenders;
  beforeCloseout: BeforeCloseout;
  taskDue: string;
  replySubject: string;
  replyText: string;
}

export const DEFAULT_TASK_DUE = '1 business days after received';
export const DEFAULT_REPLY_SUBJECT = 'Re: {{subject}}';
/** The one event a task's due time counts from: when the inquiry was received. */
export const INQUIRY_ANCHOR = 'received';

export function inquiryRuleOf(def: AfterCloseoutDef): InquiryRule {
  return {
    senders: def.senders ?? 'account_contacts',
    beforeCloseout: def.beforeCloseout ?? 'leave_with_lead',
    taskDue: def.taskDue ?? DEFAULT_TASK_DUE,
    replySubject: def.replySubject ?? DEFAULT_REPLY_SUBJECT,
    replyText: def.replyText,
  };
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Fills `{{word}}` with its value. The subject is kept to one line (a header cannot hold a line
 * break); the text is plain text, sent as it is.
 *
 * @example renderReply('Dear {{client_name}},', { client_name: 'Ada', … }) // 'Dear Ada,'
 */
export function renderReply(template: string, values: Record<ReplyPlaceholder, string>): string {
  return template.replace(PLACEHOLDER, (whole, word: string) =>
    (REPLY_PLACEHOLDERS as readonly string[]).includes(word) ? values[word as ReplyPlaceholder] : whole,
  );
}

/** A problem in the section, before positions are attached (see `check-playbook-semantics.ts`). */
export interface AfterCloseoutIssue {
  path: string;
  message: string;
}

/** Unknown placeholders, a subject of several lines, a due time not counted after `received`. */
export function checkAfterCloseout(raw: Record<string, unknown>): AfterCloseoutIssue[] {
  const issues: AfterCloseoutIssue[] = [];
  for (const key of ['reply_subject', 'reply_text'] as const) {
    const value = raw[key];
    if (typeof value !== 'string') continue;
    for (const match of value.matchAll(PLACEHOLDER)) {
      const word = match[1] ?? '';
      if ((REPLY_PLACEHOLDERS as readonly string[]).includes(word)) continue;
      const near = didYouMean(word, REPLY_PLACEHOLDERS);
      issues.push({
        path: `/after_closeout/${key}`,
        message: `unknown placeholder "{{${word}}}"${near ? ` (did you mean "{{${near}}}"?)` : ''}; known: ${REPLY_PLACEHOLDERS.join(', ')}`,
      });
    }
    if (key === 'reply_subject' && /[\r\n]/.test(value))
      issues.push({ path: '/after_closeout/reply_subject', message: 'a subject is one line' });
  }
  const due = raw.task_due;
  if (typeof due === 'string') {
    const parsed = parseDueExpression(due);
    if (!parsed.ok) issues.push({ path: '/after_closeout/task_due', message: parsed.message });
    else if (parsed.value.anchor !== INQUIRY_ANCHOR || parsed.value.direction !== 'after')
      issues.push({
        path: '/after_closeout/task_due',
        message: `must count after "${INQUIRY_ANCHOR}" (when the inquiry arrived), e.g. "${DEFAULT_TASK_DUE}"`,
      });
  }
  return issues;
}
