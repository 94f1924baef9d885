import { type Static, Type } from 'typebox';
import { defineJob } from '../scheduler/define-job.js';
import type { Mailer } from './mailer.js';

/** An e-mail in the outbox: its recipients, words, an optional invitation and a link kept as a path. */
const EmailPayload = Type.Object({
  to: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  subject: Type.String(),
  text: Type.String(),
  /** An RFC 5545 invitation (METHOD:REQUEST) to attach. */
  invitation: Type.Optional(Type.String()),
  /** A page of the web UI (`/handoffs/…`), made absolute by the process that sends. */
  link: Type.Optional(Type.String()),
  /** Where the recipient's answer should go, and the message this one answers (an inquiry's reply). */
  reply_to: Type.Optional(Type.String({ minLength: 1 })),
  in_reply_to: Type.Optional(Type.String({ minLength: 1 })),
  /** Sent by Baton on its own in answer to a message (RFC 3834 `Auto-Submitted: auto-replied`). */
  auto_replied: Type.Optional(Type.Boolean()),
});
export type EmailPayload = Static<typeof EmailPayload>;

/** What sending e-mail needs: the mailer, and the public URL that links are made absolute with. */
export interface EmailSending {
  mailer: Mailer;
  /** The public URL of the web UI, without a trailing slash. */
  linkBase?: string;
}

/**
 * An e-mail of the outbox (`notify`). `Message-ID` is the job id, so a resend after a crash can
 * be recognised. Runs only where a mailer is configured; elsewhere the job waits, unclaimed.
 */
export const sendEmailJob = defineJob({
  kind: 'send_email',
  version: 1,
  schema: EmailPayload,
  handle: ({ mailer, linkBase }: EmailSending) => ({
    async perform(job) {
      const p = job.payload;
      // Made absolute now, with this process's public URL: the job keeps only the path.
      const link = p.link ? `${linkBase ?? ''}${p.link}` : undefined;
      await mailer.send({
        messageId: job.id,
        to: p.to,
        subject: p.subject,
        text: link ? `${p.text}\n\nOpen in Baton: ${link}\n` : p.text,
        ...(p.invitation ? { invitation: { method: 'REQUEST' as const, content: p.invitation } } : {}),
        ...(p.reply_to ? { replyTo: p.reply_to } : {}),
        ...(p.in_reply_to ? { inReplyTo: p.in_reply_to } : {}),
        ...(p.auto_replied ? { autoReplied: true } : {}),
      });
    },
  }),
});
