import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { formatMoney } from '../../web/src/money.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { axeAtBothSizes, demoApi, signInToDemo } from './demo-session.js';

/**
 * Change orders on the engagement's closeout tab, in headless Chromium against the real server and
 * the built UI, for an organisation writing German: out-of-scope work is logged with an amount
 * typed the German way, shown in the organisation's locale, and moved quoted → approved → billed
 * by its buttons; a viewer sees the list and no control. axe at 1440×900 and 390 px.
 */
describe('change orders in a real browser', () => {
  let app: Api;
  let url: string;
  let demo: DemoSeed;
  let browser: Browser;
  let engagementId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, url, seed: demo } = await startDemoServer());
    browser = await launchChromium();
    const as = demoApi(url, demo);
    await as('admin', 'PUT', '/organisation/formats', { locale: 'de-DE', currency: 'EUR' });
    const accounts = (await as('sales', 'GET', '/accounts')).items!;
    engagementId = (
      await as('sales', 'POST', '/engagements', {
        account_id: accounts[0]!.id,
        name: 'Dock cameras, phase 3',
      })
    ).id as string;
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  async function openCloseout(email: string): Promise<Page> {
    const page = await signInToDemo(browser, url, email, { contexts });
    page.on('pageerror', (e) => pageErrors.push(`${email}: ${e.message}`));
    await page.goto(`${url}/engagements/${engagementId}`);
    await page.getByRole('tab', { name: 'Closeout' }).click();
    await page.getByRole('heading', { name: 'Change orders' }).waitFor();
    return page;
  }

  it('logs out-of-scope work, shows its amount in the organisation locale and moves it to billed', async () => {
    const ops = await openCloseout('olive@demo.example');
    await ops.getByRole('textbox', { name: 'Asked for' }).fill('Second site commissioning');
    await ops.getByRole('textbox', { name: 'Asked by' }).fill('Pat Quinn');
    await ops.getByRole('textbox', { name: 'Amount' }).fill('1.234,56');
    await ops.getByRole('button', { name: 'Log out-of-scope work' }).click();
    const table = ops.getByRole('table', { name: 'Change orders' });
    const amount = table.getByTestId('change-order-amount');
    await amount.waitFor();
    expect(await amount.textContent()).toBe(formatMoney(123456, 'EUR', 'de-DE'));
    expect(await amount.textContent()).toContain('1.234,56');
    await ops.getByRole('button', { name: /^Quote\W+Second site commissioning$/ }).click();
    await table.getByText('quoted', { exact: true }).waitFor();
    await ops.getByRole('button', { name: /^Approve\W+Second site commissioning$/ }).click();
    await table.getByText('approved', { exact: true }).waitFor();
    await ops.getByRole('button', { name: /^Bill\W+Second site commissioning$/ }).click();
    await table.getByText('billed', { exact: true }).waitFor();
    expect(await ops.getByRole('button', { name: /Decline/ }).count()).toBe(0);
    const [saved] = (await demoApi(url, demo)('viewer', 'GET', `/engagements/${engagementId}/change-orders`))
      .items!;
    expect(saved).toMatchObject({ state: 'billed', amount_minor: 123456, currency: 'EUR' });

    expect(await axeAtBothSizes(ops, 'change-orders-01-billed')).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('shows a viewer the change orders without a control to change them', async () => {
    const viewer = await openCloseout('vera@demo.example');
    await viewer
      .getByRole('table', { name: 'Change orders' })
      .getByText('Second site commissioning')
      .waitFor();
    expect(await viewer.getByRole('button', { name: 'Log out-of-scope work' }).count()).toBe(0);
    expect(await viewer.getByRole('textbox', { name: 'Amount' }).count()).toBe(0);
    expect(await axeAtBothSizes(viewer, 'change-orders-02-viewer')).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
