import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import { openStore } from '../../src/kernel/db/dialect.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { axeAtBothSizes, demoApi, signInToDemo } from './demo-session.js';

const DAY = 86_400_000;

/**
 * Health scores in headless Chromium against the real server and the built UI: an admin names the
 * features whose adoption counts on the Administration page (a bad threshold is refused, named
 * under its field), and the account page shows a viewer the score, its band, each component with
 * its weight, and the daily history as a line. axe at 1440×900 and 390 px.
 */
describe('health scores in a real browser', () => {
  let app: Api;
  let url: string;
  let demo: DemoSeed;
  let browser: Browser;
  let accountId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    let databaseUrl: string;
    ({ app, url, seed: demo, databaseUrl } = await startDemoServer());
    browser = await launchChromium();
    const as = demoApi(url, demo);
    accountId = (await as('sales', 'POST', '/accounts', { name: 'Harbor Health Co' })).id as string;
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    const signal = (id: string, kind: string, at: string, extra: object = {}) => ({
      event_id: `e2e-health-${id}`,
      account_id: accountId,
      kind,
      at,
      ...extra,
    });
    await as('operations', 'POST', '/signals', {
      signals: [
        // Usage 40 in the 30 days before, 30 in these 30 → 75.
        signal('u1', 'usage', ago(45), { value: 40 }),
        signal('u2', 'usage', ago(10), { value: 30, feature: 'Routes' }),
        // One rating of 4 → 75.
        signal('s1', 'support', ago(3), { csat: 4 }),
        // One escalation open → 75.
        signal('x1', 'escalation', ago(2), { value: 1 }),
      ],
    });
    // The three days before today, as the daily job would have written them: the history to draw.
    const store = openStore(databaseUrl);
    const { org_id } = await store.db
      .selectFrom('accounts')
      .select('org_id')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    const components = JSON.stringify([]);
    await store.db
      .insertInto('health_scores')
      .values(
        [3, 2, 1].map((d, i) => ({
          org_id,
          account_id: accountId,
          scored_on: new Date(Date.now() - d * DAY).toISOString().slice(0, 10),
          score: 60 + i * 5,
          band: 'watch',
          components_json: components,
          computed_at: ago(d),
        })),
      )
      .execute();
    await store.close();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  async function signIn(email: string): Promise<Page> {
    const page = await signInToDemo(browser, url, email, { contexts });
    page.on('pageerror', (e) => pageErrors.push(`${email}: ${e.message}`));
    return page;
  }

  it('lets an admin name the features that count, refusing thresholds out of order', async () => {
    const admin = await signIn('admin@demo.example');
    await admin.goto(`${url}/admin`);
    await admin.getByRole('tab', { name: 'Health scores' }).click();
    const features = admin.getByRole('combobox', { name: 'Named features' });
    await features.fill('Routes');
    await features.press('Enter');
    await features.fill('Reports');
    await features.press('Enter');
    await admin.getByRole('textbox', { name: 'Watch from' }).fill('80');
    await admin.getByRole('button', { name: 'Save health settings' }).click();
    await admin.getByText(/must be below the lowest "healthy" score/).waitFor();
    expect(await axeAtBothSizes(admin, 'health-01-settings-refused')).toEqual([]);
    await admin.getByRole('textbox', { name: 'Watch from' }).fill('40');
    await admin.getByRole('button', { name: 'Save health settings' }).click();
    await admin.getByText(/Health settings saved/).waitFor();
    const saved = await demoApi(url, demo)('viewer', 'GET', '/health-settings');
    expect(saved).toMatchObject({ features: ['Routes', 'Reports'], bands: { healthy: 70, watch: 40 } });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("shows the account's score, band, components and daily history", async () => {
    const viewer = await signIn('vera@demo.example');
    await viewer.goto(`${url}/accounts/${accountId}`);
    const card = viewer.getByRole('region', { name: 'Health' });
    await card.getByTestId('health-score').waitFor();
    // (40 × 75 + 25 × 75 + 20 × 50 + 15 × 75) ÷ 100 = 70: healthy.
    expect(await card.getByTestId('health-score').textContent()).toBe('70');
    expect(await card.getByTestId('health-band').textContent()).toBe('Healthy');
    const rows = card.getByRole('table', { name: 'Health components' }).getByRole('row');
    expect(await rows.count()).toBe(5);
    await card.getByText('1 of 2 named features used in the last 30 days').waitFor();
    await card.locator('figure .recharts-line').first().waitFor();
    // Three days written before, and today's once the scoring run the settings started has run.
    expect(await card.getByText(/^Daily score, last [34] days scored$/).count()).toBe(1);
    expect(await axeAtBothSizes(viewer, 'health-02-account')).toEqual([]);
    // The viewer has no health settings to change.
    await viewer.goto(`${url}/admin`);
    await viewer.getByText('Not available to you').waitFor();
    expect(await viewer.getByRole('tab', { name: 'Health scores' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
