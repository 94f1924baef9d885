import { createHash } from 'node:crypto';

/*
 * An e-mail as an inbound-parse webhook hands it over (docs/design-integrations.md, "Inquiries
 * after closeout"), read from the form fields of the provider's multipart/form-data request:
 *
 * - SendGrid Inbound Parse: `from`, `to`, `cc`, `subject`, `text`, `headers` (the raw header block,
 *   where `Message-ID` and `Auto-Submitted` are read), `envelope` (JSON `{ to: [], from }`).
 * - Mailgun route forward: `sender`, `from`, `recipient`, `To`, `Cc`, `subject`, `stripped-text` or
 *   `body-plain`, `Message-Id`, `message-headers` (JSON list of `[name, value]`), and the signature
 *   fields `timestamp`, `token`, `signature` (checked in `inquiry-signature.ts`).
 */

export const EMAIL_PROVIDERS = ['sendgrid', 'mailgun'] as const;
export type EmailProvider = (typeof EMAIL_PROVIDERS)[number];

export interface MailAddress {
  name: string | null;
  email: string;
}

export interface InquiryMail {
  /** The message's `Message-ID`, or `sha256:<digest>` of what it says when it has none. */
  messageId: string;
  from: MailAddress;
  /** Every address the message went to (To, Cc, the envelope), lower-case, each once. */
  recipients: string[];
  subject: string;
  /** The plain text, as the provider gave it (Mailgun's without the quoted part). */
  text: string;
  /** Sent by a machine (`Auto-Submitted`, `Precedence: bulk`…): it gets no reply. */
  automatic: boolean;
}

export interface MailProblem {
  path: string;
  message: string;
}

/** The longest a subject is kept; the longest excerpt of the text a task shows. */
export const SUBJECT_MAX = 300;
export const EXCERPT_MAX = 1000;
/** At most this many recipients are read from one message. */
const RECIPIENTS_MAX = 50;

const ADDRESS = /[^\s<>,;:"()[\]]+@[^\s<>,;:"()[\]]+\.[^\s<>,;:"()[\]]+/g;

/** Every address in a header value such as `"Doe, Ann" <ann@x.test>, bob@y.test`, lower-case. */
export function addressesIn(value: string): string[] {
  return [...value.matchAll(ADDRESS)].map((m) => m[0].toLowerCase());
}

/** The first address of a `From` value and the name shown with it. */
export function mailboxOf(value: string): MailAddress | null {
  const email = addressesIn(value)[0];
  if (!email) return null;
  const angle = value.indexOf('<');
  const raw = angle > 0 ? value.slice(0, angle) : '';
  const name = raw
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();
  return { name: name || null, email };
}

/** A raw header block (`Name: value` lines, folded lines joined), by lower-case name, first value. */
export function headerMap(block: string): Map<string, string> {
  const out = new Map<string, string>();
  const unfolded = block.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
  for (const line of unfolded.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!out.has(name)) out.set(name, line.slice(colon + 1).trim());
  }
  return out;
}

function jsonOf(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Mailgun's `message-headers`: a JSON list of `[name, value]`, by lower-case name, first value. */
function mailgunHeaders(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const list = jsonOf(text);
  if (!Array.isArray(list)) return out;
  for (const pair of list) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') continue;
    const name = pair[0].toLowerCase();
    if (!out.has(name)) out.set(name, pair[1]);
  }
  return out;
}

function isAutomatic(headers: Map<string, string>): boolean {
  const auto = headers.get('auto-submitted')?.toLowerCase();
  const precedence = headers.get('precedence')?.toLowerCase();
  return (
    (auto !== undefined && auto !== 'no') ||
    (precedence !== undefined && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) ||
    headers.has('x-autoreply') ||
    headers.has('list-id')
  );
}

const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

/**
 * The e-mail the provider's form fields describe, or every problem that keeps it from being read:
 * no sender address, no recipient.
 */
export function readInquiryMail(
  provider: EmailProvider,
  fields: ReadonlyMap<string, string>,
): { ok: true; mail: InquiryMail } | { ok: false; problems: MailProblem[] } {
  const field = (name: string) => fields.get(name);
  let headers: Map<string, string>;
  let fromText: string | undefined;
  let recipientTexts: (string | undefined)[];
  let text: string;
  if (provider === 'sendgrid') {
    headers = headerMap(field('headers') ?? '');
    const envelope = jsonOf(field('envelope')) as { to?: unknown; from?: unknown } | undefined;
    const envelopeTo = Array.isArray(envelope?.to) ? envelope.to.filter((t) => typeof t === 'string') : [];
    fromText =
      field('from') ??
      headers.get('from') ??
      (typeof envelope?.from === 'string' ? envelope.from : undefined);
    recipientTexts = [field('to'), field('cc'), headers.get('to'), headers.get('cc'), ...envelopeTo];
    text = field('text') ?? '';
  } else {
    headers = mailgunHeaders(field('message-headers'));
    fromText = field('from') ?? field('From') ?? headers.get('from') ?? field('sender');
    recipientTexts = [field('recipient'), field('To'), field('Cc'), headers.get('to'), headers.get('cc')];
    text = field('stripped-text') ?? field('body-plain') ?? '';
  }
  const problems: MailProblem[] = [];
  const from = fromText ? mailboxOf(fromText) : null;
  if (!from) problems.push({ path: '/from', message: 'names no sender address' });
  const recipients = [...new Set(recipientTexts.flatMap((t) => (t ? addressesIn(t) : [])))].slice(
    0,
    RECIPIENTS_MAX,
  );
  if (recipients.length === 0) problems.push({ path: '/to', message: 'names no recipient address' });
  if (!from || problems.length) return { ok: false, problems };
  const subject = oneLine(field('subject') ?? headers.get('subject') ?? '').slice(0, SUBJECT_MAX);
  const given = oneLine(
    (provider === 'mailgun'
      ? (field('Message-Id') ?? headers.get('message-id'))
      : headers.get('message-id')) ?? '',
  ).slice(0, 250);
  const messageId =
    given ||
    `sha256:${createHash('sha256')
      .update([from.email, subject, headers.get('date') ?? '', text].join('\u0000'))
      .digest('hex')}`;
  return {
    ok: true,
    mail: { messageId, from, recipients, subject, text, automatic: isAutomatic(headers) },
  };
}

/** The first lines of the text, for the task: at most `EXCERPT_MAX` characters. */
export function excerptOf(text: string): string {
  const trimmed = text.replace(/\r\n/g, '\n').trim();
  return trimmed.length <= EXCERPT_MAX ? trimmed : `${trimmed.slice(0, EXCERPT_MAX - 1)}…`;
}
