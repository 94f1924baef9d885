import type { Db } from '../kernel/context.js';
import type { IntegrationSourcesTable } from '../kernel/db/schema.js';
import type { Keyring } from '../vault/keyring.js';
import { EMAIL_PROVIDERS, type EmailProvider } from './domain/inquiry-mail.js';
import { loadInboundSource, openSourceSecret } from './inbound-sources.js';

/*
 * An inbound-parse source as the inquiry endpoint reads it: a row of `integration_sources` of kind
 * `sendgrid` or `mailgun` (the sources API, a sibling's, creates them). Its `config` (JSON):
 *
 * - `mailgun`: `{ "max_age_seconds"?: number }`: how old a signed timestamp may be (default a day).
 *   The secret is the webhook signing key.
 * - `sendgrid`: `{ "basic_user"?: string }`: the Basic user name the parse URL carries, when it
 *   must match. The secret is the Basic password.
 */

export interface InquirySource {
  id: string;
  orgId: string;
  name: string;
  kind: EmailProvider;
  enabled: boolean;
  maxAgeSeconds: number | undefined;
  basicUser: string | undefined;
  row: IntegrationSourcesTable;
}

function configOf(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The e-mail source with this id, or null (unknown, or a source of another kind). */
export async function loadInquirySource(db: Db, id: string): Promise<InquirySource | null> {
  const row = await loadInboundSource(db, id);
  if (!row || !(EMAIL_PROVIDERS as readonly string[]).includes(row.kind)) return null;
  const config = configOf(row.config);
  const maxAge = config.max_age_seconds;
  const basicUser = config.basic_user;
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    kind: row.kind as EmailProvider,
    enabled: Number(row.enabled) === 1,
    maxAgeSeconds: typeof maxAge === 'number' && maxAge > 0 ? maxAge : undefined,
    basicUser: typeof basicUser === 'string' && basicUser ? basicUser : undefined,
    row,
  };
}

/** The source's secret, opened with the vault (bound to the row); null when it has none. */
export function inquirySourceSecret(
  db: Db,
  keyring: Keyring | undefined,
  source: InquirySource,
): Promise<string | null> {
  return openSourceSecret(db, keyring, source.row);
}
