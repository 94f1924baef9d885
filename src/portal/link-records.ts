import { timingSafeEqual } from 'node:crypto';
import type { Actor } from '../kernel/actor.js';
import type { Db, Tx } from '../kernel/context.js';
import type { PortalLinksTable } from '../kernel/db/schema.js';
import { AppError } from '../kernel/errors.js';
import { publish } from '../kernel/events.js';
import { newId } from '../kernel/ids.js';
import {
  expiryOf,
  isTokenShaped,
  linkState,
  newLinkToken,
  type PortalPurpose,
  SINGLE_USE,
  tokenSha256,
} from './domain/portal-link.js';
import type { PortalLink } from './portal-schema.js';
import { mailKey, sendPortalLinkJob } from './send-portal-link-job.js';

/**
 * The one answer to a link that does not open: expired, revoked, used, of a contact no longer on
 * the engagement's account, malformed or unknown alike, so the answer tells nobody which.
 */
export function invalidLink(): AppError {
  return new AppError(
    'not_found',
    'This link does not open anything. It may have expired or been replaced; ask the person who sent it for a new one.',
  );
}

/** The words of each purpose's e-mail. */
const MAIL: Record<PortalPurpose, { subject: (engagement: string) => string; ask: string }> = {
  confirm: {
    subject: (e) => `Does this match what you expect from ${e}?`,
    ask: 'Please check the goal, how success is measured and the scope as we understand them, and tell us what differs.',
  },
  signoff: {
    subject: (e) => `Please review and sign off ${e}`,
    ask: 'Please review what we hand over at the end of the project and sign it off.',
  },
  survey: {
    subject: (e) => `How did ${e} go?`,
    ask: 'Two questions, under a minute: how satisfied you are, and whether you would recommend us.',
  },
};

/** What issuing a link needs to know. */
export interface LinkOrder {
  orgId: string;
  engagement: { id: string; name: string };
  contact: { id: string; name: string; email: string };
  /** Who sends it, and how they write dates (the expiry in the mail). */
  organisation: { name: string; locale: string; time_zone: string };
  purpose: PortalPurpose;
  days: number;
  actor: Actor;
  /** A reminder's mail says so. */
  reminder?: boolean;
}

/**
 * Issues a link in the caller's transaction: stores the SHA-256 of a new 256-bit token, publishes
 * `portal.link_created` and puts its e-mail in the outbox (sent after the commit). Answers the
 * row and the token, which the caller shows once or drops.
 */
export async function issueLink(
  trx: Tx,
  order: LinkOrder,
  now: Date,
): Promise<{ row: PortalLinksTable; token: string }> {
  const { token, sha256 } = newLinkToken();
  const row: PortalLinksTable = {
    id: newId(),
    org_id: order.orgId,
    engagement_id: order.engagement.id,
    contact_id: order.contact.id,
    purpose: order.purpose,
    token_sha256: sha256,
    single_use: SINGLE_USE[order.purpose] ? 1 : 0,
    created_by: order.actor.id,
    created_at: now.toISOString(),
    expires_at: expiryOf(now, order.days).toISOString(),
    used_at: null,
    revoked_at: null,
    revoked_by: null,
    opened_at: null,
  };
  await trx.insertInto('portal_links').values(row).execute();
  await publish(trx, {
    type: 'portal.link_created',
    orgId: order.orgId,
    actor: order.actor,
    at: now,
    link: row,
  });
  const words = MAIL[order.purpose];
  const { organisation } = order;
  const expires = new Intl.DateTimeFormat(organisation.locale, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: organisation.time_zone,
  }).format(new Date(row.expires_at));
  await sendPortalLinkJob.enqueue(
    trx,
    {
      dedupeKey: mailKey(row.id),
      orgId: order.orgId,
      availableAt: now,
      payload: {
        linkId: row.id,
        to: order.contact.email,
        subject: `${order.reminder ? 'Reminder: ' : ''}${words.subject(order.engagement.name)}`,
        text: [
          `Hello ${order.contact.name},`,
          '',
          `${organisation.name} asks: ${words.ask}`,
          '',
          `The link below is for you alone and works until ${expires} (${organisation.time_zone}). No account is needed.`,
        ].join('\n'),
        token,
      },
    },
    now,
  );
  return { row, token };
}

/** A link as the team lists it, with its state now and its contact's name. */
export function toLinkView(row: PortalLinksTable, contactName: string, now: Date): PortalLink {
  return {
    id: row.id,
    engagement_id: row.engagement_id,
    contact_id: row.contact_id,
    contact_name: contactName,
    purpose: row.purpose as PortalLink['purpose'],
    state: linkState(row, now),
    single_use: Number(row.single_use) === 1,
    created_by: row.created_by,
    created_at: row.created_at,
    expires_at: row.expires_at,
    used_at: row.used_at,
    revoked_at: row.revoked_at,
    opened_at: row.opened_at,
  };
}

/** What an open link reaches: the link, and its engagement, contact and organisation, all of one organisation. */
export interface OpenLink {
  link: PortalLinksTable;
  engagement: { id: string; name: string; owner_user_id: string | null; account_id: string };
  account: string;
  contact: { id: string; name: string; email: string | null };
  organisation: { name: string; brand_color: string | null; locale: string };
}

/**
 * The link a token opens, or `invalidLink()`: found by the SHA-256 of the token (so the lookup
 * learns nothing of the token's characters), its hash compared again in constant time, then
 * checked active (not expired, revoked, or used when single-use) and still in scope (its contact on
 * its engagement's account, both of its organisation). `purpose` narrows it to one purpose.
 */
export async function openLink(db: Db, token: string, now: Date, purpose?: PortalPurpose): Promise<OpenLink> {
  if (!isTokenShaped(token)) throw invalidLink();
  const sha256 = tokenSha256(token);
  const found = await db
    .selectFrom('portal_links')
    .innerJoin('engagements', (j) =>
      j
        .onRef('engagements.id', '=', 'portal_links.engagement_id')
        .onRef('engagements.org_id', '=', 'portal_links.org_id'),
    )
    .innerJoin('contacts', (j) =>
      j
        .onRef('contacts.id', '=', 'portal_links.contact_id')
        .onRef('contacts.org_id', '=', 'portal_links.org_id')
        .onRef('contacts.account_id', '=', 'engagements.account_id'),
    )
    .innerJoin('accounts', 'accounts.id', 'engagements.account_id')
    .innerJoin('organisations', 'organisations.id', 'portal_links.org_id')
    .selectAll('portal_links')
    .select([
      'engagements.name as engagement_name',
      'engagements.owner_user_id',
      'engagements.account_id',
      'accounts.name as account_name',
      'contacts.name as contact_name',
      'contacts.email as contact_email',
      'organisations.name as organisation_name',
      'organisations.brand_color',
      'organisations.locale',
    ])
    .where('portal_links.token_sha256', '=', sha256)
    .executeTakeFirst();
  if (!found || !sameHex(found.token_sha256, sha256)) throw invalidLink();
  if (linkState(found, now) !== 'active') throw invalidLink();
  if (purpose && found.purpose !== purpose) throw invalidLink();
  const {
    engagement_name,
    owner_user_id,
    account_id,
    account_name,
    contact_name,
    contact_email,
    organisation_name,
    brand_color,
    locale,
    ...link
  } = found;
  return {
    link,
    engagement: { id: link.engagement_id, name: engagement_name, owner_user_id, account_id },
    account: account_name,
    contact: { id: link.contact_id, name: contact_name, email: contact_email },
    organisation: { name: organisation_name, brand_color, locale },
  };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Marks a single-use link used, if nobody used it in the meantime: of two submissions racing,
 * one wins and the other finds the link used (the same answer as any dead link).
 */
export async function markUsed(trx: Tx, link: PortalLinksTable, now: Date): Promise<void> {
  const marked = await trx
    .updateTable('portal_links')
    .set({ used_at: now.toISOString() })
    .where('id', '=', link.id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(marked.numUpdatedRows) !== 1) throw invalidLink();
}
