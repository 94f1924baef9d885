import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as identity from '../src/identity/use-cases/create-organisation.js';
import { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import { loadBuiltinPlaybooks } from '../src/playbooks/builtin/load-builtins.js';
import { installBuiltinPlaybooks } from '../src/playbooks/use-cases/install-builtin-playbooks.js';
import { appDeps } from '../src/server/app-deps.js';
import { createOrganisation } from '../src/server/create-organisation.js';
import { DIALECTS, openTestStore, sealAll } from './support/stores.js';

describe.each(DIALECTS)('creating an organisation on %s', (dialect) => {
  let store: Store;
  let deps: Deps;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    deps = appDeps({ store, clock: new ManualClock() });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('installs every built-in playbook and gives the organisation the teams they name', async () => {
    const made = await createOrganisation(deps, { name: 'Built Ins' });
    const builtins = loadBuiltinPlaybooks();
    expect(made.playbooks.map((p) => p.key).sort()).toEqual(builtins.map((b) => b.playbook.key).sort());
    const named = builtins.flatMap((b) =>
      b.playbook.transitions.flatMap((t) => [t.senderTeam, t.receiverTeam]),
    );
    expect(made.teams.map((t) => t.key).sort()).toEqual(
      [...new Set(['sales', 'operations', 'service', ...named])].sort(),
    );
    // One log, in the order things happened: the organisation, its playbooks, its teams, its admin.
    await sealAll(store);
    const actions = (
      await store.db
        .selectFrom('audit_log')
        .select('action')
        .where('org_id', '=', made.organisation.id)
        .orderBy('seq')
        .execute()
    ).map((e) => e.action);
    const first = (action: string) => actions.indexOf(action);
    expect(first('organisation.created')).toBe(0);
    expect(actions.filter((a) => a === 'playbook.installed')).toHaveLength(builtins.length);
    expect(first('playbook.installed')).toBeLessThan(first('team.created'));
    expect(actions.lastIndexOf('playbook.installed')).toBeLessThan(first('team.created'));
  });

  it('leaves nothing behind when its set-up fails: one transaction', async () => {
    const playbookRows = async () =>
      Number(
        (
          await store.db
            .selectFrom('playbooks')
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await playbookRows();
    const failing: identity.OrganisationSetUp = async (trx, orgId, actor, at) => {
      await installBuiltinPlaybooks(trx, orgId, actor, at);
      throw new Error('the set-up failed');
    };
    await expect(identity.createOrganisation(deps, { name: 'Half Made' }, failing)).rejects.toThrow(
      'the set-up failed',
    );
    const org = await store.db
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'half-made')
      .executeTakeFirst();
    expect(org).toBeUndefined();
    expect(await playbookRows()).toBe(before);
  });
});
