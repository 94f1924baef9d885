import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import { openStore, type Store } from '../../src/kernel/db/dialect.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { type History, writeFactHistory } from '../support/dashboard-facts.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { axeAtBothSizes, signInToDemo } from './demo-session.js';

const SAM = 'sam@demo.example';
/**
 * Eight handoffs over March and April 2026, worked out by hand:
 * - March: four submitted (H1, H2 accepted first time; H3 rejected for a missing site survey and
 *   then accepted; H4 rejected for the wrong contact), one left a draft (H5).
 * - April: three submitted (H6, H7 accepted first time; H8 rejected for a missing site survey).
 * March and April: 8 drafted, 7 submitted, 5 accepted, first pass 4 of 7 decided (57.1%),
 * rejections: missing site survey 2, wrong contact 1. March alone: 5 drafted, 4 submitted,
 * 3 accepted, first pass 2 of 4 (50%), each reason once. H1's 72-hour review found the site
 * access differed and the after-hours contact right: gap rates 100% and 0%.
 */
const HISTORY: History = {
  handoffs: [
    {
      sender: SAM,
      drafted: '2026-03-02',
      submitted: '2026-03-03',
      accepted: '2026-03-04',
      kickoff: '2026-03-09',
      checkpoints: [
        {
          kind: 'follow_up_review',
          due: '2026-03-07',
          onTime: true,
          fields: [
            ['scope.site_access', true],
            ['contacts.after_hours', false],
          ],
        },
      ],
    },
    { sender: SAM, drafted: '2026-03-05', submitted: '2026-03-05', accepted: '2026-03-07' },
    {
      sender: SAM,
      drafted: '2026-03-09',
      submitted: '2026-03-10',
      rejections: ['Missing site survey'],
      accepted: '2026-03-13',
    },
    { sender: SAM, drafted: '2026-03-11', submitted: '2026-03-12', rejections: ['Wrong client contact'] },
    { sender: SAM, drafted: '2026-03-20' },
    { sender: SAM, drafted: '2026-04-01', submitted: '2026-04-02', accepted: '2026-04-03' },
    { sender: SAM, drafted: '2026-04-06', submitted: '2026-04-07', accepted: '2026-04-08' },
    { sender: SAM, drafted: '2026-04-13', submitted: '2026-04-14', rejections: ['Missing site survey'] },
  ],
};

/**
 * The metrics dashboard in headless Chromium against the real server and the built UI, over a
 * hand-built history written into the fact tables: the totals and the rejections are the
 * history's numbers; the period filter lives in the address and changes the numbers; a chart's
 * CSV holds its rows and its PNG is a picture; an empty period says so. axe at 1440×900 and 390 px.
 */
describe('the dashboard in a real browser', () => {
  let app: Api;
  let url: string;
  let store: Store;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    let demo: DemoSeed;
    let databaseUrl: string;
    ({ app, url, seed: demo, databaseUrl } = await startDemoServer());
    expect(demo.users.length).toBeGreaterThan(0);
    store = openStore(databaseUrl);
    await writeFactHistory(store, 'demo', HISTORY);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await store?.close();
    await app?.close();
  });

  async function openDashboard(email: string, search: string): Promise<Page> {
    const page = await signInToDemo(browser, url, email, { contexts });
    page.on('pageerror', (e) => pageErrors.push(`${email}: ${e.message}`));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.goto(`${url}/dashboard${search}`);
    await page.getByRole('heading', { name: 'Lifecycle funnel' }).waitFor();
    return page;
  }

  const total = (page: Page, key: string) => page.getByTestId(`total-${key}`).textContent();

  async function downloaded(page: Page, chart: string, item: 'CSV file' | 'PNG picture'): Promise<Buffer> {
    await page.getByRole('button', { name: `Export ${chart}` }).click();
    const [file] = (await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('menu', { name: `Export ${chart}` })
        .getByRole('menuitem', { name: item })
        .click(),
    ])) as [Download, unknown];
    return readFile((await file.path())!);
  }

  it('shows the history’s numbers, filters by month in the address and exports a chart', async () => {
    const ops = await openDashboard('olive@demo.example', '?from=2026-03&to=2026-04');
    await ops.getByTestId('total-submitted').getByText('7', { exact: true }).waitFor();
    expect(await total(ops, 'drafted')).toBe('8');
    expect(await total(ops, 'accepted')).toBe('5');
    expect(await total(ops, 'first_pass_rate')).toBe('57.1%');
    for (const chart of ['Handoffs per month', 'Lifecycle funnel', 'Rejections by reason', 'Cycle times'])
      expect(
        await ops
          .getByRole('img', { name: new RegExp(`^${chart}`) })
          .locator('svg.recharts-surface')
          .count(),
      ).toBe(1);
    expect(await ops.getByRole('img', { name: /^Rejections by reason/ }).getAttribute('aria-label')).toBe(
      'Rejections by reason: Missing site survey 2, Wrong client contact 1',
    );

    await ops.getByRole('button', { name: 'Show Rejections by reason as a table' }).click();
    const reasons = ops.getByRole('table', { name: 'Rejections by reason' });
    expect(await reasons.getByRole('row').allTextContents()).toEqual([
      'ReasonRejections',
      'Missing site survey2',
      'Wrong client contact1',
    ]);
    const gaps = ops.getByRole('table', { name: 'Review gaps by field' });
    expect((await gaps.getByRole('row').allTextContents()).slice(1, 3)).toEqual([
      expect.stringMatching(/^scope\.site_access100%11/),
      expect.stringMatching(/^contacts\.after_hours0%01/),
    ]);
    expect(await gaps.getByRole('link').first().getAttribute('href')).toMatch(/^\/playbooks\/[a-z-]+$/);
    const csv = (await downloaded(ops, 'Rejections by reason', 'CSV file')).toString('utf8');
    expect(csv).toBe('\uFEFFreason,count\r\nMissing site survey,2\r\nWrong client contact,1\r\n');
    const funnel = (await downloaded(ops, 'Lifecycle funnel', 'CSV file')).toString('utf8').split('\r\n');
    expect(funnel.slice(0, 3)).toEqual([
      '\uFEFFstage,count,drop,drop_rate',
      'drafted,8,,',
      'submitted,7,1,0.125',
    ]);
    const png = await downloaded(ops, 'Handoffs per month', 'PNG picture');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(5_000);

    await ops.getByLabel('To').fill('2026-03');
    await ops.waitForURL(/to=2026-03/);
    expect(new URL(ops.url()).searchParams.get('from')).toBe('2026-03');
    await ops.getByTestId('total-submitted').getByText('4', { exact: true }).waitFor();
    expect(await total(ops, 'drafted')).toBe('5');
    expect(await total(ops, 'accepted')).toBe('3');
    expect(await total(ops, 'first_pass_rate')).toBe('50%');
    // The card stays a table, now with March's rows.
    expect(await reasons.getByRole('row').allTextContents()).toEqual([
      'ReasonRejections',
      'Missing site survey1',
      'Wrong client contact1',
    ]);

    // A team the history's handoffs never passed through has none; the sending team has them all.
    await ops.getByLabel('Team').selectOption('service');
    await ops.waitForURL(/team=service/);
    await ops.getByTestId('total-submitted').getByText('0', { exact: true }).waitFor();
    await ops.getByLabel('Team').selectOption('sales');
    await ops.waitForURL(/team=sales/);
    await ops.getByTestId('total-submitted').getByText('4', { exact: true }).waitFor();

    // The filtered view is a link: opened afresh, it shows the same numbers.
    const shared = await signInToDemo(browser, url, 'vera@demo.example', { contexts });
    await shared.goto(ops.url());
    await shared.getByTestId('total-submitted').getByText('4', { exact: true }).waitFor();
    expect(await shared.getByLabel('To').inputValue()).toBe('2026-03');

    expect(await axeAtBothSizes(ops, 'dashboard-01-figures')).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('says so when the period has nothing to show', async () => {
    const ops = await openDashboard('olive@demo.example', '?from=2025-01&to=2025-02');
    await ops.getByTestId('total-submitted').getByText('0', { exact: true }).waitFor();
    expect(await ops.getByText('No handoff was rejected in these months.').count()).toBe(1);
    expect(await ops.getByRole('button', { name: 'Export Rejections by reason' }).count()).toBe(0);
    expect(await ops.getByRole('img', { name: /^Rejections by reason/ }).count()).toBe(0);
    expect(await axeAtBothSizes(ops, 'dashboard-02-empty')).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
