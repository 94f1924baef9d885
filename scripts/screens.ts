/**
 * `npm run screens`: the main screens of the web UI at 1440×900 and on a 390×844 phone, captured
 * from a demo server in headless Chromium into docs/screens/, for the README and for review.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/demo/seed-demo.js';
import { openStore } from '../src/kernel/db/dialect.js';
import { launchChromium } from '../test/e2e/browser.js';
import { ROOT, startDemoServer } from '../test/e2e/demo-server.js';
import { demoHistory, writeFactHistory } from '../test/support/dashboard-facts.js';

const OUT = join(ROOT, 'docs', 'screens');
const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;

const { app, url, seed, databaseUrl } = await startDemoServer();
const browser = await launchChromium();
mkdirSync(OUT, { recursive: true });

async function signedIn(email: string, size: keyof typeof SIZES): Promise<Page> {
  // Less motion: a panel opened for its picture is caught open, not halfway through its slide.
  const context = await browser.newContext({ viewport: SIZES[size], reducedMotion: 'reduce' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('E-mail').fill(email);
  await page.locator('input[type=password]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  return page;
}

const shot = async (page: Page, name: string, options: { fullPage?: boolean } = {}) => {
  // Let queries settle and transitions end (the summary's frame keeps the network busy).
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: options.fullPage ?? false });
  process.stdout.write(`docs/screens/${name}.png\n`);
};

/** A call to the demo server's API as one of the demo users (by role), answering the JSON. */
async function asDemo(role: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const token = seed.users.find((u) => u.role === role)!.token;
  const res = await app.inject({
    method,
    url: `/api/v1${path}`,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
  return res.json();
}

// The access-control rollout's closeout package, and a sign-off link to it for the client.
const rollout = (await asDemo('operations', 'GET', '/engagements?limit=100')).items.find(
  (e: { name: string }) => e.name === 'Warehouse access control rollout',
);
const dana = (await asDemo('operations', 'GET', `/contacts?account_id=${rollout.account_id}`)).items.find(
  (c: { name: string }) => c.name === 'Dana Whitfield',
);

// Integrations: a Pipedrive source whose won deal opened a draft (and one request refused), and a
// webhook endpoint (on a documentation address: its deliveries fail, and the log says so).
const pipedrive = await asDemo('admin', 'POST', '/integration-sources', {
  kind: 'pipedrive',
  name: 'Pipedrive sales',
  config: { playbook: 'security-integrator' },
});
for (const password of [pipedrive.secret, 'a-wrong-password'])
  await app.inject({
    method: 'POST',
    url: pipedrive.source.inbound_path,
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`baton:${password}`).toString('base64')}`,
    },
    payload: readFileSync(join(ROOT, 'test/fixtures/integrations/pipedrive-won.json')),
  });
await asDemo('admin', 'POST', '/webhook-endpoints', {
  url: 'https://203.0.113.10/baton-events',
  description: 'Project tool',
});

try {
  for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) {
    const ops = await signedIn('olive@demo.example', size);
    await shot(ops, `inbox-${size}`);
    await ops.getByRole('button', { name: /^Notifications, / }).click();
    await ops.getByRole('dialog', { name: 'Notifications' }).getByRole('link').first().waitFor();
    await shot(ops, `notifications-${size}`);
    await ops.keyboard.press('Escape');
    await ops.keyboard.press('/');
    await ops.keyboard.type('harbor');
    await ops.getByRole('listbox', { name: 'Search results' }).waitFor();
    await shot(ops, `search-${size}`);
    await ops.keyboard.press('Escape');
    await ops.getByRole('dialog').waitFor({ state: 'detached' });
    await ops.keyboard.press('?');
    await ops.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shot(ops, `shortcuts-${size}`);
    await ops.keyboard.press('Escape');
    await ops.getByRole('dialog').waitFor({ state: 'detached' });
    await ops
      .getByRole('link', { name: /Month-end close automation/ })
      .first()
      .click();
    await ops.getByRole('tab', { name: 'Packet' }).waitFor();
    await shot(ops, `handoff-packet-${size}`);
    await ops.getByRole('tab', { name: 'Checkpoints' }).click();
    await ops.getByRole('table', { name: 'Checkpoints of this handoff' }).waitFor();
    await shot(ops, `handoff-checkpoints-${size}`);
    await ops.getByRole('tab', { name: 'Summary sheet' }).click();
    await shot(ops, `handoff-summary-${size}`);
    await ops.getByRole('link', { name: 'Engagement timeline' }).click();
    await ops.getByRole('heading', { name: 'What happened' }).waitFor();
    await shot(ops, `timeline-${size}`);
    await ops.goto(`${url}/checkpoints`);
    await ops.getByRole('heading', { name: 'My checkpoints' }).waitFor();
    await shot(ops, `my-checkpoints-${size}`);
    const sales = await signedIn('sam@demo.example', size);
    await sales
      .getByRole('link', { name: /Warehouse access control rollout/ })
      .first()
      .click();
    await sales.getByRole('button', { name: 'Submit packet' }).waitFor();
    await shot(sales, `packet-editor-${size}`);
    const admin = await signedIn('admin@demo.example', size);
    await admin.goto(`${url}/admin`);
    await admin.getByText('olive@demo.example').first().waitFor();
    await shot(admin, `admin-${size}`);
    await admin.getByRole('tab', { name: 'Integrations' }).click();
    await admin
      .getByRole('region', { name: /Pipedrive sales/ })
      .getByText('Acme - 400 Widgets')
      .waitFor();
    await shot(admin, `admin-integrations-${size}`, { fullPage: true });
    await admin.getByRole('tab', { name: 'Webhooks' }).click();
    await admin.getByRole('row').filter({ hasText: 'Project tool' }).waitFor();
    await shot(admin, `admin-webhooks-${size}`);
    await sales.goto(`${url}/accounts`);
    await sales.getByRole('button', { name: 'Import CSV' }).click();
    await sales.getByRole('dialog', { name: 'Import from a CSV file' }).waitFor();
    await shot(sales, `accounts-import-${size}`);
    await ops.goto(`${url}/engagements/${rollout.id}?tab=closeout`);
    await ops.locator('input[value="HID-V1000-2291"], :text("HID-V1000-2291")').first().waitFor();
    await shot(ops, `closeout-${size}`, { fullPage: true });
    const link = await asDemo('operations', 'POST', `/engagements/${rollout.id}/portal-links`, {
      contact_id: dana.id,
      purpose: 'signoff',
    });
    const client = await (
      await browser.newContext({ viewport: SIZES[size], reducedMotion: 'reduce' })
    ).newPage();
    await client.goto(`${url}${new URL(link.url, url).pathname}`);
    await client.getByText('What we hand over').waitFor();
    await shot(client, `portal-signoff-${size}`, { fullPage: true });
  }

  // The dashboard over half a year of handoffs written into the fact tables (after the other
  // pictures: the history's handoffs would crowd the inbox), ending with last month.
  const today = new Date();
  const lastMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 15))
    .toISOString()
    .slice(0, 7);
  const history = demoHistory(lastMonth);
  const store = openStore(databaseUrl);
  await writeFactHistory(store, 'demo', history);
  // A latest health score for each account (as the daily job writes them), for the distribution.
  const org = await store.db
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', 'demo')
    .executeTakeFirstOrThrow();
  const accounts = await store.db
    .selectFrom('accounts')
    .select('id')
    .where('org_id', '=', org.id)
    .orderBy('name')
    .execute();
  const scores = [92, 81, 77, 74, 68, 63, 55, 48, 86, 35, 71, 22];
  for (const [i, account] of accounts.entries()) {
    const score = scores[i % scores.length]!;
    await store.db
      .insertInto('health_scores')
      .values({
        org_id: org.id,
        account_id: account.id,
        scored_on: today.toISOString().slice(0, 10),
        score,
        band: score >= 70 ? 'healthy' : score >= 40 ? 'watch' : 'at_risk',
        components_json: '[]',
        computed_at: today.toISOString(),
      })
      .execute();
  }
  await store.close();
  const firstMonth = history.handoffs[0]!.drafted.slice(0, 7);
  for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) {
    const ops = await signedIn('olive@demo.example', size);
    await ops.goto(`${url}/dashboard?from=${firstMonth}&to=${lastMonth}`);
    await ops.getByRole('img', { name: /^Lifecycle funnel/ }).waitFor();
    await shot(ops, `dashboard-${size}`, { fullPage: true });
  }
} finally {
  await browser.close();
  await app.close();
}
