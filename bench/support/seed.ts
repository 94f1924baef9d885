import { createAccount } from '../../src/accounts/use-cases/create-account.js';
import { createEngagement } from '../../src/accounts/use-cases/create-engagement.js';
import { createHandoff } from '../../src/handoffs/use-cases/create-handoff.js';
import { addUser } from '../../src/identity/use-cases/add-user.js';
import { authenticateToken } from '../../src/identity/use-cases/authenticate-token.js';
import { createOrganisation } from '../../src/identity/use-cases/create-organisation.js';
import { systemClock } from '../../src/kernel/clock.js';
import type { Deps } from '../../src/kernel/context.js';
import { openStore } from '../../src/kernel/db/dialect.js';
import { migrateToLatest } from '../../src/kernel/db/migrate.js';
import { EXAMPLE_PACKETS } from '../../src/playbooks/builtin/example-packets.js';
import { appDeps } from '../../src/server/app-deps.js';

export interface Seeded {
  sales: string;
  operations: string;
  handoffIds: string[];
}

/** Migrates the database and creates one organisation with `count` complete draft handoffs. */
export async function seedHandoffs(databaseUrl: string, count: number): Promise<Seeded> {
  const store = openStore(databaseUrl);
  try {
    await migrateToLatest(store.db);
    const deps: Deps = appDeps({ store, clock: systemClock });
    await createOrganisation(deps, { name: 'Bench Co', slug: 'bench' });
    const system = { type: 'system' as const, id: null };
    const s = await addUser(
      deps,
      system,
      { slug: 'bench' },
      { email: 's@bench.example', role: 'sales', teamKeys: ['sales'] },
    );
    const o = await addUser(
      deps,
      system,
      { slug: 'bench' },
      {
        email: 'o@bench.example',
        role: 'operations',
        teamKeys: ['operations'],
      },
    );
    const sales = (await authenticateToken(deps, s.token.token))!;
    // Handoffs spread over 50 clients, as in a firm with many deals under way (handoffs of one
    // client take turns while their records are reconciled at submit).
    const engagements: string[] = [];
    for (let i = 0; i < Math.min(50, count); i++) {
      const account = await createAccount(deps, sales, { name: `Client ${i + 1}` });
      engagements.push(
        (await createEngagement(deps, sales, { account_id: account.id, name: `Deal ${i + 1}` })).id,
      );
    }
    const packet = EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']!;
    const handoffIds: string[] = [];
    for (let i = 0; i < count; i++) {
      const h = await createHandoff(deps, sales, {
        engagement_id: engagements[i % engagements.length]!,
        playbook: 'professional-services',
        transition: 'sales-to-delivery',
        packet,
      });
      handoffIds.push(h.id);
    }
    return { sales: s.token.token, operations: o.token.token, handoffIds };
  } finally {
    await store.close();
  }
}
