import type { Store } from '../../src/kernel/db/dialect.js';
import { newId } from '../../src/kernel/ids.js';
import { sealSecret } from '../../src/vault/data-keys.js';
import type { Keyring } from '../../src/vault/keyring.js';

/**
 * An inbound-parse source (`mailgun` or `sendgrid`) of the organisation, its secret sealed by the
 * vault as the sources API seals it (binding: org, `integration_sources`, id, `secret`).
 */
export async function addEmailSource(
  store: Store,
  keyring: Keyring | undefined,
  source: { orgId: string; kind: 'mailgun' | 'sendgrid'; secret: string; config?: object; at: Date },
): Promise<string> {
  const id = newId();
  const at = source.at.toISOString();
  const binding = { orgId: source.orgId, table: 'integration_sources', rowId: id, field: 'secret' };
  const sealed = await sealSecret(store.db, keyring, binding, source.secret, source.at);
  await store.db
    .insertInto('integration_sources')
    .values({
      id,
      org_id: source.orgId,
      name: `${source.kind} parse`,
      kind: source.kind,
      config: JSON.stringify(source.config ?? {}),
      secret_ciphertext: sealed.ciphertext,
      secret_iv: sealed.iv,
      secret_tag: sealed.tag,
      data_key_id: sealed.dataKeyId,
      enabled: 1,
      created_by: null,
      created_at: at,
      updated_at: at,
      secret_updated_at: at,
    })
    .execute();
  return id;
}
