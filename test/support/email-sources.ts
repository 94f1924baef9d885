import { sealSourceSecret } from '../../src/integrations/inbound-sources.js';
import type { Store } from '../../src/kernel/db/dialect.js';
import { newId } from '../../src/kernel/ids.js';
import type { Keyring } from '../../src/vault/keyring.js';

/**
 * An inbound-parse source (`mailgun` or `sendgrid`) of the organisation, its secret sealed by the
 * vault by the sources API's own sealing (`sealSourceSecret`). Kinds and secrets the API would make
 * itself (a SendGrid password) are given here, so a test knows them.
 */
export async function addEmailSource(
  store: Store,
  keyring: Keyring | undefined,
  source: { orgId: string; kind: 'mailgun' | 'sendgrid'; secret: string; config?: object; at: Date },
): Promise<string> {
  const id = newId();
  const at = source.at.toISOString();
  const sealed = await sealSourceSecret(
    store.db,
    keyring,
    { orgId: source.orgId, id },
    source.secret,
    source.at,
  );
  await store.db
    .insertInto('integration_sources')
    .values({
      id,
      org_id: source.orgId,
      name: `${source.kind} parse`,
      kind: source.kind,
      config: JSON.stringify(source.config ?? {}),
      ...sealed,
      enabled: 1,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}
