/** An e-mail as Baton sends it; `messageId` is stable per outbox job so a resend can be recognised. */
export interface OutgoingMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  /** An RFC 5545 invitation sent as the message's calendar part (and as an .ics attachment). */
  invitation?: { method: 'REQUEST' | 'CANCEL'; content: string };
  /** `Reply-To`, and the `Message-ID` this message answers (`In-Reply-To`, `References`). */
  replyTo?: string;
  inReplyTo?: string;
  /** An automatic answer to a message: `Auto-Submitted: auto-replied` (RFC 3834), so no robot answers it. */
  autoReplied?: boolean;
}

/** Sends mail. The SMTP implementation is `createSmtpMailer`; tests use it against a local SMTP server. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}
