import nodemailer from 'nodemailer';
import type { Mailer, OutgoingMail } from './mailer.js';

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  /** Give up on a connection or a reply after this long, so a send ends well inside the job's lease. */
  timeoutMs?: number;
}

/** A mailer that speaks SMTP through nodemailer. */
export function createSmtpMailer(config: SmtpConfig): Mailer & { close(): void } {
  const timeout = config.timeoutMs ?? 20_000;
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(mail: OutgoingMail): Promise<void> {
      await transport.sendMail({
        from: config.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: `<${mail.messageId}@baton>`,
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: mail.inReplyTo } : {}),
        ...(mail.autoReplied ? { headers: { 'Auto-Submitted': 'auto-replied' } } : {}),
        ...(mail.invitation
          ? {
              icalEvent: {
                method: mail.invitation.method,
                content: mail.invitation.content,
                filename: 'invite.ics',
              },
            }
          : {}),
      });
    },
    close: () => transport.close(),
  };
}
