import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How each sender proves a request is its own (docs/integrations-inbound.md). Each check answers
 * why it refused, naming the header, never the secret or the expected value.
 */
export type Verdict = { ok: true } | { ok: false; path: string; reason: string; stale?: boolean };

const OK: Verdict = { ok: true };

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** HubSpot v3: tolerance of the request timestamp, in milliseconds. */
export const HUBSPOT_MAX_AGE_MS = 5 * 60 * 1000;

/**
 * HubSpot's `X-HubSpot-Signature-v3`: base64 HMAC-SHA256 of method + URI + body + timestamp,
 * the timestamp (`X-HubSpot-Request-Timestamp`, ms) at most five minutes old.
 */
export function verifyHubspotV3(
  headers: Record<string, string | string[] | undefined>,
  method: string,
  uri: string,
  body: Buffer,
  secret: string,
  now: Date,
): Verdict {
  const signature = header(headers, 'x-hubspot-signature-v3');
  const timestamp = header(headers, 'x-hubspot-request-timestamp');
  if (!signature) return { ok: false, path: '/headers/x-hubspot-signature-v3', reason: 'is missing' };
  if (!timestamp || !/^\d{1,16}$/.test(timestamp))
    return {
      ok: false,
      path: '/headers/x-hubspot-request-timestamp',
      reason: 'is missing or not milliseconds',
    };
  const age = now.getTime() - Number(timestamp);
  if (age > HUBSPOT_MAX_AGE_MS || age < -HUBSPOT_MAX_AGE_MS)
    return {
      ok: false,
      path: '/headers/x-hubspot-request-timestamp',
      reason: 'is more than 5 minutes from now: a stale or replayed request',
      stale: true,
    };
  const expected = createHmac('sha256', secret)
    .update(`${method}${decodeUri(uri)}`)
    .update(body)
    .update(timestamp)
    .digest('base64');
  return sameText(signature, expected)
    ? OK
    : {
        ok: false,
        path: '/headers/x-hubspot-signature-v3',
        reason: 'does not match the body signed with the source secret',
      };
}

/** HubSpot v3 signs the URI with some percent-encoded characters decoded. */
function decodeUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => decodeURIComponent(m));
}

/** ClickUp's `X-Signature`: hex HMAC-SHA256 of the raw body. */
export function verifyHexHmac(
  headers: Record<string, string | string[] | undefined>,
  name: string,
  body: Buffer,
  secret: string,
): Verdict {
  const signature = header(headers, name);
  if (!signature) return { ok: false, path: `/headers/${name}`, reason: 'is missing' };
  const expected = createHmac('sha256', secret).update(body).digest('hex');
  return sameText(signature.toLowerCase(), expected)
    ? OK
    : {
        ok: false,
        path: `/headers/${name}`,
        reason: 'does not match the body signed with the source secret',
      };
}

/** HTTP Basic auth (Pipedrive): the configured user name and the source secret as the password. */
export function verifyBasic(
  headers: Record<string, string | string[] | undefined>,
  username: string,
  secret: string,
): Verdict {
  const value = header(headers, 'authorization');
  const match = value ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(value) : null;
  if (!match?.[1]) return { ok: false, path: '/headers/authorization', reason: 'is missing or not Basic' };
  return sameText(Buffer.from(match[1], 'base64').toString('utf8'), `${username}:${secret}`)
    ? OK
    : {
        ok: false,
        path: '/headers/authorization',
        reason: 'does not carry the user name and password of this source',
      };
}

/** A fixed `Authorization` header (Procore): the secret, alone or after `Bearer `. */
export function verifyFixedAuthorization(
  headers: Record<string, string | string[] | undefined>,
  secret: string,
): Verdict {
  const value = header(headers, 'authorization');
  if (!value) return { ok: false, path: '/headers/authorization', reason: 'is missing' };
  const given = value.replace(/^Bearer\s+/i, '');
  return sameText(given, secret)
    ? OK
    : { ok: false, path: '/headers/authorization', reason: 'is not the secret of this source' };
}
