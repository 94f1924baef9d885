import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount } from '../accounts/use-cases/create-account.js';
import { createContact } from '../accounts/use-cases/create-contact.js';
import { createEngagement } from '../accounts/use-cases/create-engagement.js';
import { addInventoryItem } from '../closeout/use-cases/add-inventory-item.js';
import { addPunchItem } from '../closeout/use-cases/add-punch-item.js';
import { recordTraining } from '../closeout/use-cases/record-training.js';
import { recordWarranty } from '../closeout/use-cases/record-warranty.js';
import { addVaultEntry } from '../closeout/use-cases/vault-add-entry.js';
import { askQuestion } from '../handoffs/use-cases/ask-question.js';
import { createHandoff } from '../handoffs/use-cases/create-handoff.js';
import { submitHandoff } from '../handoffs/use-cases/submit-handoff.js';
import { hashPassword } from '../identity/domain/password.js';
import type { Principal, Role } from '../identity/domain/roles.js';
import { TOKEN_SCOPES } from '../identity/domain/scopes.js';
import { addUser } from '../identity/use-cases/add-user.js';
import { authenticateToken } from '../identity/use-cases/authenticate-token.js';
import { issueTokenInTx } from '../identity/use-cases/issue-token.js';
import { storePasswordInTx } from '../identity/use-cases/set-password.js';
import { type Deps, inTransaction } from '../kernel/context.js';
import { createOrganisation } from '../server/create-organisation.js';

export interface DemoLogin {
  role: Role;
  email: string;
  name: string;
  token: string;
}

export interface DemoSeed {
  organisation: { slug: string; name: string };
  created: boolean;
  users: DemoLogin[];
  /** The web sign-in password of every demo user (public: it is a demo). */
  password: string;
}

/** Every demo user signs in to the web UI with this password. */
export const DEMO_PASSWORD = 'baton-demo';

const SLUG = 'demo';
const FILE = 'demo-logins.json';

const PEOPLE: { role: Role; email: string; name: string; teams: string[] }[] = [
  { role: 'sales', email: 'sam@demo.example', name: 'Sam Seller', teams: ['sales'] },
  { role: 'operations', email: 'olive@demo.example', name: 'Olive Operations', teams: ['operations'] },
  { role: 'service', email: 'sid@demo.example', name: 'Sid Service', teams: ['service'] },
  { role: 'viewer', email: 'vera@demo.example', name: 'Vera Viewer', teams: [] },
];

/**
 * Creates the demo organisation (once) with one user per role, an account, an engagement and two
 * handoffs, and answers the demo logins. Tokens are stored hashed like any other, so the plain
 * demo tokens are kept in `<dataDir>/demo-logins.json` (mode 600) to be printed at each start.
 */
export async function seedDemo(deps: Deps, options: { dataDir: string }): Promise<DemoSeed> {
  const file = join(options.dataDir, FILE);
  const existing = await deps.store.db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('slug', '=', SLUG)
    .executeTakeFirst();
  if (existing) {
    const saved = readSaved(file);
    const valid =
      saved &&
      (await Promise.all(saved.map((u) => authenticateToken(deps, u.token)))).every((p) => p !== null);
    await giveDemoPasswords(deps, existing.id);
    if (saved && valid)
      return {
        organisation: { slug: SLUG, name: existing.name },
        created: false,
        users: saved,
        password: DEMO_PASSWORD,
      };
    const users = await reissue(deps, existing.id);
    save(options.dataDir, file, users);
    return {
      organisation: { slug: SLUG, name: existing.name },
      created: false,
      users,
      password: DEMO_PASSWORD,
    };
  }

  const org = await createOrganisation(deps, {
    name: 'Northwind Integrations',
    slug: SLUG,
    timeZone: 'Europe/London',
    adminEmail: 'admin@demo.example',
    adminName: 'Ada Admin',
  });
  const users: DemoLogin[] = [
    { role: 'admin', email: org.admin.user.email, name: org.admin.user.name, token: org.admin.token.token },
  ];
  const system = { type: 'system' as const, id: null };
  const principals: Partial<Record<Role, Principal>> = {};
  for (const p of PEOPLE) {
    const made = await addUser(
      deps,
      system,
      { slug: SLUG },
      { email: p.email, name: p.name, role: p.role, teamKeys: p.teams },
    );
    users.push({ role: p.role, email: made.user.email, name: made.user.name, token: made.token.token });
    principals[p.role] = (await authenticateToken(deps, made.token.token))!;
  }
  const sales = principals.sales!;
  const ops = principals.operations!;

  const account = await createAccount(deps, sales, {
    name: 'Harbor Freight Logistics',
    notes: 'Regional 3PL, four warehouses.',
  });
  await createContact(deps, sales, {
    account_id: account.id,
    name: 'Dana Whitfield',
    email: 'dana.whitfield@harbor.example',
    title: 'COO',
    role: 'buyer',
  });
  await createContact(deps, sales, {
    account_id: account.id,
    name: 'Luis Ortega',
    email: 'luis.ortega@harbor.example',
    title: 'Finance systems lead',
    role: 'champion',
  });
  const close = await createEngagement(deps, sales, {
    account_id: account.id,
    name: 'Month-end close automation',
    stage: 'sales',
    external_ids: { crm: 'DEAL-1042' },
    contract_signed_at: deps.clock.now().toISOString(),
  });
  const submitted = await createHandoff(deps, sales, {
    engagement_id: close.id,
    playbook: 'professional-services',
    transition: 'sales-to-delivery',
    packet: {
      goal: {
        client_goal: '"We want to stop living in spreadsheets for the last week of every month." — Dana',
        success_metric: 'Month-end close in 5 working days by the end of Q3',
      },
      scope: {
        in_scope: [
          'General-ledger integration',
          'Automated bank reconciliation',
          'Close checklist for 4 sites',
        ],
        out_of_scope: ['Payroll', 'Data migration of years before 2024'],
      },
      people: {
        buyer: { name: 'Dana Whitfield', role: 'COO', email: 'dana.whitfield@harbor.example' },
        champion: { name: 'Luis Ortega', role: 'Finance systems lead', email: 'luis.ortega@harbor.example' },
      },
      promises: {
        promises: [
          {
            text: 'Weekly status call with Dana during the first month',
            made_by: 'Sam Seller',
            in_contract: false,
          },
        ],
        surprises: 'Their previous vendor left mid-project; Dana is wary of slipping dates.',
      },
      success: {
        ultimate_objective: 'A 5-day close with no spreadsheet reconciliations.',
        earliest_signal: 'Bank reconciliation runs unattended for one site in week 3.',
        minimum_outcome: 'A 7-day close if the ERP upgrade slips.',
        early_win: 'First automated reconciliation report in front of Dana by day 30.',
      },
    },
  });
  await submitHandoff(deps, sales, submitted.id);
  await askQuestion(deps, ops, submitted.id, {
    body: 'Does "4 sites" include the new Tacoma warehouse opening in March?',
    path: '/packet/scope/in_scope',
  });

  const rollout = await createEngagement(deps, sales, {
    account_id: account.id,
    name: 'Warehouse access control rollout',
    stage: 'sales',
    owner_id: principals.service!.userId,
    external_ids: { crm: 'DEAL-1057' },
  });
  await createHandoff(deps, sales, {
    engagement_id: rollout.id,
    playbook: 'professional-services',
    transition: 'sales-to-delivery',
    packet: { goal: { client_goal: 'Badge access at every dock door before peak season.' } },
  });
  await seedRolloutCloseout(deps, { ops, engagementId: rollout.id, trainerId: ops.userId });

  await giveDemoPasswords(deps, org.organisation.id);
  save(options.dataDir, file, users);
  return {
    organisation: { slug: SLUG, name: org.organisation.name },
    created: true,
    users,
    password: DEMO_PASSWORD,
  };
}

/**
 * The access-control rollout's closeout package, half done: what was installed, the controller's
 * warranty, an open punch item, one operator trained (the readers are not yet: the checklist
 * names them), and the controller's admin login in the vault.
 */
async function seedRolloutCloseout(
  deps: Deps,
  { ops, engagementId, trainerId }: { ops: Principal; engagementId: string; trainerId: string },
): Promise<void> {
  const day = (offset: number) =>
    new Date(deps.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const devices = [
    {
      type: 'Door controller',
      make: 'HID',
      model: 'VertX V1000',
      serial: 'HID-V1000-2291',
      location: 'Comms room',
      network_address: '10.20.0.10',
      firmware_version: '3.4.1',
    },
    {
      type: 'Badge reader',
      make: 'HID',
      model: 'Signo 20',
      serial: 'SIG20-0415',
      location: 'Dock door 1',
      network_address: null,
      firmware_version: '10.0.7',
    },
    {
      type: 'Badge reader',
      make: 'HID',
      model: 'Signo 20',
      serial: 'SIG20-0416',
      location: 'Dock door 2',
      network_address: null,
      firmware_version: '10.0.7',
    },
  ];
  for (const d of devices)
    await addInventoryItem(deps, ops, engagementId, {
      ...d,
      installed_on: day(-3),
      warranty_until: day(3 * 365),
    });
  await recordWarranty(deps, ops, engagementId, {
    kind: 'warranty',
    provider: 'HID Global',
    reference: 'WAR-88412',
    starts_on: day(-3),
    expires_on: day(3 * 365),
    covers: 'Door controller and readers, parts and labour',
  });
  await addPunchItem(deps, ops, engagementId, {
    title: 'Label the controller enclosure',
    owner_id: trainerId,
    due_on: day(5),
  });
  await recordTraining(deps, ops, engagementId, {
    trainee_name: 'Luis Ortega',
    product: 'VertX V1000',
    trained_on: day(-1),
    trainer_id: trainerId,
  });
  await addVaultEntry(deps, ops, engagementId, {
    system: 'VertX V1000 web console',
    username: 'admin',
    url: 'https://10.20.0.10',
    notes: 'Local administrator; change after handover.',
    secret: 'Demo-only: Dock-Door-2291!',
  });
}

/** Demo users without a password (a new demo, or one seeded before web sign-in) get the demo password. */
async function giveDemoPasswords(deps: Deps, orgId: string): Promise<void> {
  const users = await deps.store.db
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('password_hash', 'is', null)
    .execute();
  if (!users.length) return;
  const hashes = await Promise.all(users.map(() => hashPassword(DEMO_PASSWORD)));
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    for (const [i, u] of users.entries()) {
      await storePasswordInTx(trx, orgId, { type: 'system', id: null }, now, {
        userId: u.id,
        passwordHash: hashes[i]!,
        endSessions: false,
      });
    }
  });
}

function readSaved(file: string): DemoLogin[] | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { users?: DemoLogin[] };
    return Array.isArray(parsed.users) ? parsed.users : null;
  } catch {
    return null;
  }
}

function save(dataDir: string, file: string, users: DemoLogin[]): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify({ organisation: SLUG, users }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The demo org exists but its saved logins are gone or revoked: issue each demo user a new token. */
async function reissue(deps: Deps, orgId: string): Promise<DemoLogin[]> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const rows = await trx
      .selectFrom('users')
      .select(['id', 'email', 'name', 'role'])
      .where('org_id', '=', orgId)
      .where('disabled_at', 'is', null)
      .orderBy('email')
      .execute();
    const out: DemoLogin[] = [];
    for (const u of rows) {
      const t = await issueTokenInTx(trx, orgId, { type: 'system', id: null }, now, {
        userId: u.id,
        name: 'demo login',
        scopes: TOKEN_SCOPES,
      });
      out.push({ role: u.role as Role, email: u.email, name: u.name, token: t.token });
    }
    return out;
  });
}
