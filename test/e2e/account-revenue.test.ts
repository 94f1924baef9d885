import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { formatMoney } from '../../web/src/money.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { axeAtBothSizes, demoApi, signInToDemo } from './demo-session.js';

/**
 * The Revenue section of the account page, in headless Chromium against the real server and the
 * built UI, for an organisation writing German: a record added with an amount typed the German
 * way, sums by month in the organisation's money format, a record removed; a viewer sees the sums
 * and no control. axe at 1440×900 and 390 px.
 */
describe('account revenue in a real browser', () => {
  let app: Api;
  let url: string;
  let demo: DemoSeed;
  let browser: Browser;
  let accountId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, url, seed: demo } = await startDemoServer());
    browser = await launchChromium();
    const as = demoApi(url, demo);
    await as('admin', 'PUT', '/organisation/formats', { locale: 'de-DE', currency: 'EUR' });
    accountId = (await as('sales', 'POST', '/accounts', { name: 'Larch Logistics' })).id as string;
    await as('sales', 'POST', '/revenue-records', {
      records: [
        {
          account_id: accountId,
          period: '2026-01',
          kind: 'starting',
          amount_minor: 1_000_000,
          currency: 'EUR',
        },
        { account_id: accountId, period: '2026-01', kind: 'churn', amount_minor: 250_000, currency: 'EUR' },
      ],
    });
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  async function openAccount(email: string): Promise<Page> {
    const page = await signInToDemo(browser, url, email, { contexts });
    page.on('pageerror', (e) => pageErrors.push(`${email}: ${e.message}`));
    await page.goto(`${url}/accounts/${accountId}`);
    await page.getByRole('heading', { name: 'Revenue' }).waitFor();
    return page;
  }

  it('adds a record typed the German way, shows the sums by month, and removes one', async () => {
    const ops = await openAccount('olive@demo.example');
    const byMonth = ops.getByRole('table', { name: 'Revenue by month' });
    const january = byMonth.getByRole('row', { name: /Jan/ });
    await january.waitFor();
    expect(await january.textContent()).toContain(formatMoney(750_000, 'EUR', 'de-DE'));
    expect(await january.textContent()).toContain('7.500,00');

    const form = ops.getByRole('form', { name: 'Record revenue' });
    await form.getByLabel('Month').fill('2026-02');
    await form.getByRole('combobox', { name: 'Kind' }).click();
    await ops.getByRole('option', { name: 'Expansion' }).click();
    await form.getByRole('textbox', { name: 'Amount' }).fill('1.234,56');
    await form.getByRole('textbox', { name: 'Note' }).fill('Second depot');
    await form.getByRole('button', { name: 'Record revenue' }).click();
    const february = byMonth.getByRole('row', { name: /Feb/ });
    await february.waitFor();
    expect(await february.textContent()).toContain(formatMoney(123_456, 'EUR', 'de-DE'));
    const saved = await demoApi(url, demo)('viewer', 'GET', `/accounts/${accountId}/revenue`);
    expect(saved.records).toContainEqual(
      expect.objectContaining({
        period: '2026-02',
        kind: 'expansion',
        amount_minor: 123_456,
        note: 'Second depot',
      }),
    );

    await ops.getByRole('button', { name: /^Remove\W+Churn/ }).click();
    await ops.getByRole('button', { name: /^Remove\W+Churn/ }).waitFor({ state: 'detached' });
    expect(await january.textContent()).toContain(formatMoney(1_000_000, 'EUR', 'de-DE'));

    expect(await axeAtBothSizes(ops, 'account-revenue-01-writer')).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('shows a viewer the revenue without a control to change it', async () => {
    const viewer = await openAccount('vera@demo.example');
    await viewer.getByRole('table', { name: 'Revenue by month' }).getByRole('row', { name: /Feb/ }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Record revenue' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expect(await axeAtBothSizes(viewer, 'account-revenue-02-viewer')).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('imports a CSV file of revenue records from the accounts page', async () => {
    const sales = await signInToDemo(browser, url, 'sam@demo.example', { contexts });
    sales.on('pageerror', (e) => pageErrors.push(`sam: ${e.message}`));
    await sales.goto(`${url}/accounts`);
    await sales.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = sales.getByRole('dialog', { name: 'Import from a CSV file' });
    await dialog.getByRole('radio', { name: 'Revenue records' }).check();
    const file = join(mkdtempSync(join(tmpdir(), 'baton-revenue-e2e-')), 'revenue.csv');
    writeFileSync(
      file,
      `Account ID,Period,Kind,Amount,Currency,External ID\n${accountId},2026-03,starting,11234.56,EUR,larch-2603\n`,
    );
    const chooser = sales.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: 'CSV file' }).click();
    await (await chooser).setFiles(file);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByText('1 row read: 1 revenue records stored').waitFor();
    expect(await axeAtBothSizes(sales, 'account-revenue-03-import')).toEqual([]);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await sales.goto(`${url}/accounts/${accountId}`);
    const march = sales
      .getByRole('table', { name: 'Revenue by month' })
      .getByRole('row', { name: /März|Mär/ });
    await march.waitFor();
    expect(await march.textContent()).toContain(formatMoney(1_123_456, 'EUR', 'de-DE'));
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
