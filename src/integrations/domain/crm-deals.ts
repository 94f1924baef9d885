import type { ErrorDetail } from '../../kernel/errors.js';
import { idOf, isObject } from './payload-values.js';
import { type OutboundMessage, readOutboundMessage, XmlError } from './salesforce-soap.js';

export type CrmKind = 'hubspot' | 'salesforce' | 'pipedrive';

/**
 * One deal of a CRM's request, as the vendor sent it (docs/integrations-inbound.md): `record` is what
 * a playbook's `maps_from: <kind>.<path>` reads; `externalId` the sender's event id (a repeat of it
 * is a duplicate); `ids` the deal's own ids, which find the engagement, account and contact that
 * an earlier event made.
 */
export interface Deal {
  externalId: string;
  /** False for an event that is not a deal turning won (answered `ignored`, nothing written). */
  won: boolean;
  record: Record<string, unknown>;
  ids: { engagement: string; account?: string; contact?: string };
  /** What the deal is called when no mapping names it. */
  label: string;
  /** The deal's currency, when the CRM sends one (a money field without its own takes it). */
  currency?: string;
}

/** The paths of a kind's record that are bookkeeping, not the deal: never reported as unmapped. */
export const ENVELOPE_PATHS: Record<CrmKind, RegExp> = {
  hubspot:
    /^(eventId|subscriptionId|portalId|appId|occurredAt|subscriptionType|attemptNumber|changeSource|sourceId|propertyName|propertyValue|objectId|changeFlag)$/,
  salesforce: /^(Id|IsClosed|IsWon)$/,
  pipedrive:
    /^(meta\..*|previous\..*|data\.(id|currency|status|update_time|add_time|creator_user_id|visible_to|is_archived|archive_time|origin|origin_id|pipeline_id|stage_id|stage_change_time|lost_reason|lost_time|probability|label_ids|org_id|person_id|owner_id))$/,
};

export class PayloadError extends Error {
  constructor(readonly problems: ErrorDetail[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
}

/**
 * The body as text, refused unless it is well-formed UTF-8 (what is stored must be what was sent,
 * not U+FFFD in place of a bad byte).
 */
export function textOf(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new PayloadError([{ path: '/', message: 'is not well-formed UTF-8 text' }]);
  }
}

/** Parses a JSON body, refusing text with an unpaired surrogate (`\ud800`) anywhere in it. */
export function parseJson(body: Buffer): unknown {
  let value: unknown;
  try {
    value = JSON.parse(textOf(body));
  } catch (e) {
    if (e instanceof PayloadError) throw e;
    throw new PayloadError([{ path: '/', message: 'is not valid JSON' }]);
  }
  const bad = (text: string) => !text.isWellFormed();
  const visit = (node: unknown): boolean =>
    typeof node === 'string'
      ? bad(node)
      : typeof node === 'object' && node !== null
        ? Object.entries(node).some(([k, v]) => bad(k) || visit(v))
        : false;
  if (visit(value))
    throw new PayloadError([{ path: '/', message: 'holds text that is not well-formed Unicode' }]);
  return value;
}

/** HubSpot: a JSON array of up to 100 events; a `dealstage` change to a won stage is a won deal. */
export function hubspotDeals(body: Buffer, wonStages: readonly string[]): Deal[] {
  const events = parseJson(body);
  if (!Array.isArray(events) || events.length === 0 || events.length > 100)
    throw new PayloadError([{ path: '/', message: 'must be a JSON array of 1 to 100 events' }]);
  const problems: ErrorDetail[] = [];
  const deals = events.flatMap((event, i): Deal[] => {
    const eventId = isObject(event) ? idOf(event.eventId) : undefined;
    const objectId = isObject(event) ? idOf(event.objectId) : undefined;
    if (!isObject(event) || !eventId || !objectId) {
      problems.push({ path: `/${i}`, message: 'must be an event with an eventId and an objectId' });
      return [];
    }
    const won =
      event.subscriptionType === 'deal.propertyChange' &&
      event.propertyName === 'dealstage' &&
      typeof event.propertyValue === 'string' &&
      wonStages.includes(event.propertyValue);
    return [
      {
        externalId: eventId,
        won,
        record: event,
        ids: { engagement: objectId },
        label: `HubSpot deal ${objectId}`,
      },
    ];
  });
  if (problems.length) throw new PayloadError(problems);
  return deals;
}

/** Salesforce: the notifications of an Outbound Message; an Opportunity whose IsWon is true is won. */
export function salesforceDeals(message: OutboundMessage): Deal[] {
  return message.notifications.map((n) => {
    const f = n.fields;
    return {
      externalId: n.id,
      won: f.IsWon === 'true' || (f.IsWon === undefined && f.StageName === 'Closed Won'),
      record: f,
      ids: { engagement: f.Id ?? n.id, ...(f.AccountId ? { account: f.AccountId } : {}) },
      label: f.Name ?? `Salesforce opportunity ${f.Id ?? n.id}`,
    };
  });
}

/** Reads an Outbound Message body, or throws `PayloadError`. */
export function outboundMessageOf(body: Buffer): OutboundMessage {
  try {
    return readOutboundMessage(textOf(body));
  } catch (e) {
    if (e instanceof XmlError) throw new PayloadError([{ path: '/', message: e.message }]);
    throw e;
  }
}

/** Pipedrive webhook v2: one event; a deal whose `status` became `won` is a won deal. */
export function pipedriveDeals(body: Buffer): Deal[] {
  const event = parseJson(body);
  const meta = isObject(event) && isObject(event.meta) ? event.meta : undefined;
  const data = isObject(event) && isObject(event.data) ? event.data : undefined;
  const eventId = idOf(meta?.id);
  const dealId = idOf(data?.id);
  if (!isObject(event) || !meta || !data || !eventId || !dealId)
    throw new PayloadError([{ path: '/', message: 'must be a Pipedrive v2 event: meta.id, data.id' }]);
  const previous = isObject(event.previous) ? event.previous : {};
  const won = meta.entity === 'deal' && data.status === 'won' && previous.status !== 'won';
  const account = idOf(data.org_id);
  const contact = idOf(data.person_id);
  return [
    {
      externalId: eventId,
      won,
      record: event,
      ids: { engagement: dealId, ...(account ? { account } : {}), ...(contact ? { contact } : {}) },
      label: typeof data.title === 'string' && data.title.trim() ? data.title : `Pipedrive deal ${dealId}`,
      ...(typeof data.currency === 'string' ? { currency: data.currency } : {}),
    },
  ];
}
