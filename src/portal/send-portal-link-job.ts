import { type Static, Type } from 'typebox';
import type { Tx } from '../kernel/context.js';
import type { EmailSending } from '../notifications/send-email-job.js';
import { defineJob } from '../scheduler/define-job.js';

/**
 * A magic link's e-mail in the outbox. The token travels in the payload only until the mail is
 * sent: the commit that marks the job done blanks it (`token: ''`), so afterwards the database
 * holds the link's SHA-256 alone (docs/decisions/0011-portal-token-design.md).
 */
const PortalLinkMail = Type.Object({
  linkId: Type.String({ minLength: 1 }),
  to: Type.String({ minLength: 1 }),
  subject: Type.String(),
  /** The words before the link. */
  text: Type.String(),
  /** The link's token; '' once sent. */
  token: Type.String(),
});
export type PortalLinkMail = Static<typeof PortalLinkMail>;

/**
 * Blanks the token of a link's mail still waiting in the outbox (a link revoked before it went
 * out): the sender then skips it, and the token leaves the database.
 */
export async function blankUnsentMail(trx: Tx, linkId: string): Promise<void> {
  const job = await trx
    .selectFrom('scheduled_jobs')
    .select(['id', 'payload'])
    .where('dedupe_key', '=', mailKey(linkId))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (!job) return;
  const payload = { ...(JSON.parse(job.payload) as PortalLinkMail), token: '' };
  await trx
    .updateTable('scheduled_jobs')
    .set({ payload: JSON.stringify(payload) })
    .where('id', '=', job.id)
    .execute();
}

/** The outbox key of a link's mail: one mail per link. */
export function mailKey(linkId: string): string {
  return `portal_link:${linkId}`;
}

/** The page a token opens, under the public URL. */
export function portalPath(token: string): string {
  return `/p/${token}`;
}

export const sendPortalLinkJob = defineJob({
  kind: 'send_portal_link',
  version: 1,
  schema: PortalLinkMail,
  handle: ({ mailer, linkBase }: EmailSending) => ({
    async perform(job) {
      const p = job.payload;
      // A job whose token was blanked was sent already (a rerun after the mark was lost): nothing to send.
      if (p.token === '') return;
      await mailer.send({
        messageId: job.id,
        to: [p.to],
        subject: p.subject,
        text: `${p.text}\n\n${linkBase ?? ''}${portalPath(p.token)}\n`,
      });
    },
    async commit(trx, job) {
      await trx
        .updateTable('scheduled_jobs')
        .set({ payload: JSON.stringify({ ...job.payload, token: '' }) })
        .where('id', '=', job.id)
        .execute();
    },
  }),
});
