import { createAccount } from '../../src/accounts/use-cases/create-account.js';
import { createEngagement } from '../../src/accounts/use-cases/create-engagement.js';
import { createHandoff } from '../../src/handoffs/use-cases/create-handoff.js';
import { addUser } from '../../src/identity/use-cases/add-user.js';
import { authenticateToken } from '../../src/identity/use-cases/authenticate-token.js';
import { systemClock } from '../../src/kernel/clock.js';
import type { Deps } from '../../src/kernel/context.js';
import { openStore } from '../../src/kernel/db/dialect.js';
import { migrateToLatest } from '../../src/kernel/db/migrate.js';
import { appDeps } from '../../src/server/app-deps.js';
import { createOrganisation } from '../../src/server/create-organisation.js';
import { EXAMPLE_PACKETS } from '../../test/support/example-packets.js';
import type { Path } from './load.js';

/** A draft handoff ready to submit, with the tokens of its organisation's sender and receiver. */
export interface SeededHandoff {
  id: string;
  sales: string;
  operations: string;
}

/**
 * Migrates the database and creates `organisations` organisations with `count` complete draft
 * handoffs between them, handed out in turn (so a run over the list alternates organisations).
 */
export async function seedHandoffs(
  databaseUrl: string,
  count: number,
  organisations = 1,
): Promise<SeededHandoff[]> {
  const store = openStore(databaseUrl);
  try {
    await migrateToLatest(store.db);
    const deps: Deps = appDeps({ store, clock: systemClock });
    const perOrg: SeededHandoff[][] = [];
    for (let o = 0; o < organisations; o++) {
      perOrg.push(
        await seedOrganisation(deps, `bench${o === 0 ? '' : `-${o + 1}`}`, Math.ceil(count / organisations)),
      );
    }
    const handoffs: SeededHandoff[] = [];
    for (let i = 0; handoffs.length < count; i++) {
      const o = perOrg[i % organisations]!;
      const h = o[Math.floor(i / organisations)];
      if (h) handoffs.push(h);
    }
    return handoffs;
  } finally {
    await store.close();
  }
}

async function seedOrganisation(deps: Deps, slug: string, count: number): Promise<SeededHandoff[]> {
  await createOrganisation(deps, { name: `Bench Co ${slug}`, slug });
  const system = { type: 'system' as const, id: null };
  const s = await addUser(
    deps,
    system,
    { slug },
    { email: `s@${slug}.example`, role: 'sales', teamKeys: ['sales'] },
  );
  const o = await addUser(
    deps,
    system,
    { slug },
    { email: `o@${slug}.example`, role: 'operations', teamKeys: ['operations'] },
  );
  const sales = (await authenticateToken(deps, s.token.token))!;
  // Handoffs spread over 50 clients, as in a firm with many deals under way (handoffs of one
  // client take turns while their records are reconciled at submit).
  // An engagement has one open handoff per transition: each handoff has its own deal.
  const accounts: string[] = [];
  for (let i = 0; i < Math.min(50, count); i++)
    accounts.push((await createAccount(deps, sales, { name: `Client ${i + 1}` })).id);
  const packet = EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']!;
  const handoffs: SeededHandoff[] = [];
  for (let i = 0; i < count; i++) {
    const engagement = await createEngagement(deps, sales, {
      account_id: accounts[i % accounts.length]!,
      name: `Deal ${i + 1}`,
    });
    const h = await createHandoff(deps, sales, {
      engagement_id: engagement.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      packet,
    });
    handoffs.push({ id: h.id, sales: s.token.token, operations: o.token.token });
  }
  return handoffs;
}

/** The request of `step` for each handoff, made with its organisation's sender or receiver. */
export function requestsOf(handoffs: readonly SeededHandoff[], step: 'submit' | 'accept'): Path[] {
  return handoffs.map((h) => ({
    path: `/api/v1/handoffs/${h.id}/${step}`,
    token: step === 'submit' ? h.sales : h.operations,
  }));
}
