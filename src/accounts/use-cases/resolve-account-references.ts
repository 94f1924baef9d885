import type { Db } from '../../kernel/context.js';
import type { ErrorDetail } from '../../kernel/errors.js';

/** How an item of a batch names its account: by Baton id, or by an id of another system as `system:id`. */
export interface AccountReference {
  account_id?: string | undefined;
  account_external_id?: string | undefined;
}

/** Ids per `in (…)` lookup of the accounts a batch names. */
const IDS_PER_LOOKUP = 500;

/**
 * The account each item of a batch names, for batches that refer to accounts by `account_id` or
 * `account_external_id` (`system:id`, the system read without case, as stored): one lookup per 500
 * distinct references, never one per item. Each item whose reference is unusable (none, both, a
 * malformed external id) or names no account of the organisation gets an error under its path
 * (`pathOf(i)`, or that path plus `/account_id` or `/account_external_id`), so the caller can
 * refuse the batch whole, naming every bad item.
 *
 * @example
 *   const { accountIds, errors } = await resolveAccountReferences(db, orgId, items, (i) => `/signals/${i}`);
 *   // accountIds[i]: the Baton id, or undefined when errors names item i
 */
export async function resolveAccountReferences(
  db: Db,
  orgId: string,
  items: readonly AccountReference[],
  pathOf: (index: number) => string,
): Promise<{ accountIds: (string | undefined)[]; errors: ErrorDetail[] }> {
  const found = await lookUp(db, orgId, items);
  const errors: ErrorDetail[] = [];
  const accountIds = items.map((item, i) => {
    const problem = referenceProblem(item);
    if (problem) {
      errors.push({ path: pathOf(i), code: 'account_reference', message: problem });
      return undefined;
    }
    const accountId = found.get(referenceKey(item));
    if (accountId === undefined) {
      const field = item.account_id !== undefined ? 'account_id' : 'account_external_id';
      errors.push({
        path: `${pathOf(i)}/${field}`,
        code: 'unknown_account',
        message: `No account of this organisation has ${field.replace('_', ' ')} "${item.account_id ?? item.account_external_id}".`,
      });
    }
    return accountId;
  });
  return { accountIds, errors };
}

/** Why an item's account reference is not usable, whatever the accounts: none, both, or a malformed external id. */
function referenceProblem(item: AccountReference): string | null {
  if ((item.account_id === undefined) === (item.account_external_id === undefined))
    return 'Give exactly one of account_id and account_external_id.';
  if (item.account_external_id !== undefined && !/^[^:]+:.+$/.test(item.account_external_id))
    return 'account_external_id must be `system:id`, e.g. `salesforce:001A0000`.';
  return null;
}

const referenceKey = (item: AccountReference) =>
  item.account_id !== undefined ? `id:${item.account_id}` : externalKey(item.account_external_id!);

/** `system:id` as looked up: the system in lower case (as stored), the id as given. */
function externalKey(value: string): string {
  const colon = value.indexOf(':');
  return `ext:${value.slice(0, colon).toLowerCase()}:${value.slice(colon + 1)}`;
}

/** The Baton account id of each reference the batch makes that names an account of the organisation. */
async function lookUp(
  db: Db,
  orgId: string,
  items: readonly AccountReference[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const ids = [...new Set(items.flatMap((s) => (s.account_id !== undefined ? [s.account_id] : [])))];
  for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
    const rows = await db
      .selectFrom('accounts')
      .select('id')
      .where('org_id', '=', orgId)
      .where('id', 'in', ids.slice(i, i + IDS_PER_LOOKUP))
      .execute();
    for (const r of rows) found.set(`id:${r.id}`, r.id);
  }
  const externals = [
    ...new Set(
      items.flatMap((s) =>
        s.account_external_id !== undefined && referenceProblem(s) === null ? [s.account_external_id] : [],
      ),
    ),
  ];
  const byExternalId = [...new Set(externals.map((e) => e.slice(e.indexOf(':') + 1)))];
  for (let i = 0; i < byExternalId.length; i += IDS_PER_LOOKUP) {
    const rows = await db
      .selectFrom('record_external_ids')
      .select(['record_id', 'system', 'external_id'])
      .where('org_id', '=', orgId)
      .where('record_type', '=', 'account')
      .where('external_id', 'in', byExternalId.slice(i, i + IDS_PER_LOOKUP))
      .execute();
    for (const r of rows) found.set(externalKey(`${r.system}:${r.external_id}`), r.record_id);
  }
  return found;
}
