import * as identity from '../identity/use-cases/create-organisation.js';
import type { Deps } from '../kernel/context.js';
import { loadBuiltinPlaybooks } from '../playbooks/builtin/load-builtins.js';
import { installBuiltinPlaybooks } from '../playbooks/use-cases/install-builtin-playbooks.js';

export type {
  CreatedOrganisation,
  CreateOrganisationInput,
} from '../identity/use-cases/create-organisation.js';

/**
 * Creates an organisation as Baton starts one: identity's organisation, teams and first admin,
 * with the built-in playbooks installed in the same transaction. Identity does not know
 * playbooks; this is where the two meet (an "organisation created" subscriber, once events are
 * wired here). The YAML files are read before the transaction, so it holds no lock while parsing.
 *
 * Example: `const { admin } = await createOrganisation(deps, { name: 'Acme Security' })`.
 */
export function createOrganisation(
  deps: Deps,
  input: identity.CreateOrganisationInput,
): Promise<identity.CreatedOrganisation> {
  const builtins = loadBuiltinPlaybooks();
  return identity.createOrganisation(deps, input, (trx, orgId, actor, at) =>
    installBuiltinPlaybooks(trx, orgId, actor, at, builtins),
  );
}
