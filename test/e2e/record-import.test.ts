import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { axeAtBothSizes, demoApi, signInToDemo } from './demo-session.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'csv');

/**
 * The import dialog of the accounts page in headless Chromium against the real server and the
 * built UI: a file with bad lines imports nothing and each line is listed with its reason; a
 * HubSpot export imports as it is; a large file shows its progress (a bar of the bytes sent,
 * upload throttled so the bar is seen moving, then "checking and writing") and then what it did.
 * A viewer sees no import. axe at 1440×900 and 390 px, the page no wider than the phone.
 */
describe('the CSV import dialog in a real browser', () => {
  let app: Api;
  let url: string;
  let demo: DemoSeed;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const pageErrors: string[] = [];
  const files = mkdtempSync(join(tmpdir(), 'baton-import-e2e-'));
  const csv = (name: string, text: string) => {
    const path = join(files, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    ({ app, url, seed: demo } = await startDemoServer());
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  async function openDialog(page: Page, kind: string, file: string) {
    const dialog = page.getByRole('dialog', { name: 'Import from a CSV file' });
    if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Import CSV' }).click();
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: new RegExp(`^${kind}`) }).check();
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: 'CSV file' }).click();
    await (await chooser).setFiles(file);
    return dialog;
  }

  it('lists every bad line, imports a HubSpot export as it is, and shows a large file going', async () => {
    const sales = await signInToDemo(browser, url, 'sam@demo.example', { contexts });
    sales.on('pageerror', (e) => pageErrors.push(e.message));
    await sales.goto(`${url}/accounts`);
    await sales.getByRole('heading', { name: 'Accounts' }).waitFor();

    const bad = csv(
      'bad.csv',
      'First Name,Last Name,Email,Associated Company\nAda,Lovelace,ada@example.com,Import Co\nBob,Bad,not-an-email,Import Co\nCy,Short\n',
    );
    let dialog = await openDialog(sales, 'Contacts', bad);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const errors = dialog.getByTestId('import-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('Line 3: email must be an e-mail address');
    expect(await errors.textContent()).toContain('Line 4: line 4 has 2 cells; the header has 4');
    expect(await dialog.getByRole('alert').textContent()).toContain('nothing was imported');
    violations.push(...(await axeAtBothSizes(sales, 'import-01-refused')));
    const contacts = await demoApi(url, demo)('sales', 'GET', '/contacts?limit=200');
    expect((contacts.items as { email: string | null }[]).some((c) => c.email === 'ada@example.com')).toBe(
      false,
    );

    dialog = await openDialog(sales, 'Engagements', join(FIXTURES, 'hubspot_deals_export.CONSTRUCTED.csv'));
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByText('1 row read: 1 created').waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await sales.getByRole('link', { name: 'Biglytics' }).waitFor();

    // A large file, its upload slowed so the bar is seen moving.
    const rows = Array.from(
      { length: 40_000 },
      (_, i) => `LARGE-${i},Large company ${i},Row ${i} of a big file`,
    );
    const large = csv('large.csv', `Record ID,Company Name,Description\n${rows.join('\n')}\n`);
    const cdp = await sales.context().newCDPSession(sales);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 600 * 1024,
    });
    dialog = await openDialog(sales, 'Accounts', large);
    // Every value the bar and its status take, as they change.
    await sales.evaluate(`(() => {
      const seen = [];
      window.seen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[aria-label="Import progress"]');
        const status = document.querySelector('[role="dialog"] [role="status"]');
        const entry = (bar?.getAttribute('aria-valuenow') ?? '') + '|' + (status?.textContent ?? '');
        if (seen.at(-1) !== entry) seen.push(entry);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByRole('progressbar', { name: 'Import progress' }).waitFor();
    violations.push(...(await axeAtBothSizes(sales, 'import-02-progress')));
    await dialog.getByText('40,000 rows read: 40,000 created').waitFor({ timeout: 60_000 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const seen = (await sales.evaluate('window.seen')) as string[];
    const shares = seen.map((s) => Number(s.split('|')[0])).filter((n) => n > 0 && n < 100);
    expect(shares.length, seen.join('\n')).toBeGreaterThanOrEqual(3);
    expect(seen.some((s) => s.includes('Sending and reading:'))).toBe(true);
    expect(seen.some((s) => s.includes('checking every line and writing'))).toBe(true);
    violations.push(...(await axeAtBothSizes(sales, 'import-03-done')));

    // Exports are offered to whoever reads the list.
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await sales.getByRole('button', { name: 'Export CSV' }).click();
    expect(await sales.getByRole('menuitem', { name: 'Contacts' }).getAttribute('href')).toBe(
      '/api/v1/contacts.csv',
    );
    await sales.keyboard.press('Escape');

    const viewer = await signInToDemo(browser, url, 'vera@demo.example', { contexts });
    await viewer.goto(`${url}/accounts`);
    await viewer.getByRole('heading', { name: 'Accounts' }).waitFor();
    await viewer.getByRole('button', { name: 'Export CSV' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Import CSV' }).count()).toBe(0);
    violations.push(...(await axeAtBothSizes(viewer, 'import-04-viewer')));

    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
