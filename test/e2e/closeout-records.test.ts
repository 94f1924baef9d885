import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { HANDOVER_PLAYBOOK } from '../support/handover-playbook.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { axeAtBothSizes, demoApi, signInToDemo } from './demo-session.js';

const HEADER = 'Type,Make,Model,Serial,Location,Network address,Firmware version,Installed on,Warranty until';

/**
 * The closeout package's records in headless Chromium against the real server and the built UI:
 * a CSV with a bad line imports nothing and the line is shown; a good one fills the grid, which is
 * edited in place and exported; a warranty, a punch item, training and the debrief are recorded;
 * the orphan product shows before closeout; closing out is refused naming every unmet item, then
 * allowed. A viewer sees no control. axe at 1440×900 and 390 px, the page no wider than the phone.
 */
describe('the closeout records in a real browser', () => {
  let app: Api;
  let url: string;
  let demo: DemoSeed;
  let browser: Browser;
  let engagementId: string;
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const pageErrors: string[] = [];
  const files = mkdtempSync(join(tmpdir(), 'baton-closeout-e2e-'));

  beforeAll(async () => {
    ({ app, url, seed: demo } = await startDemoServer());
    browser = await launchChromium();
    const as = demoApi(url, demo);
    await as('admin', 'POST', '/playbooks', { source: HANDOVER_PLAYBOOK });
    const accounts = (await as('sales', 'GET', '/accounts')).items!;
    const engagement = await as('sales', 'POST', '/engagements', {
      account_id: accounts[0]!.id,
      name: 'Dock cameras, phase 2',
    });
    engagementId = engagement.id as string;
    await as('admin', 'POST', '/handoffs', {
      engagement_id: engagementId,
      playbook: 'handover',
      transition: 'install-to-service',
      packet: { notes: { summary: 'Installed and commissioned.' } },
    });
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  beforeEach(() => {
    violations.length = 0;
    pageErrors.length = 0;
  });

  async function checkBothSizes(page: Page, name: string): Promise<void> {
    violations.push(...(await axeAtBothSizes(page, name)));
  }

  async function openCloseout(email: string): Promise<Page> {
    const page = await signInToDemo(browser, url, email, { contexts });
    page.on('pageerror', (e) => pageErrors.push(`${email}: ${e.message}`));
    await page.goto(`${url}/engagements/${engagementId}`);
    await page.getByRole('tab', { name: 'Closeout' }).click();
    await page.getByRole('heading', { name: 'Closeout checklist' }).waitFor();
    return page;
  }

  const csv = (name: string, text: string) => {
    const path = join(files, name);
    writeFileSync(path, text);
    return path;
  };

  it('imports, edits and exports the inventory; a bad line imports nothing and is shown', async () => {
    const ops = await openCloseout('olive@demo.example');
    const grid = ops.getByRole('table', { name: 'Inventory items' });

    const bad = csv(
      'bad.csv',
      `${HEADER}\nCamera,Axis,P3265-LVE,AX-1,Dock 4,10.0.0.21,11.2,2026-03-02,2029-03-01\nReader,HID,Signo 40,HID-1,Lobby,,1.0,2026-13-02,\n`,
    );
    const chooser = ops.waitForEvent('filechooser');
    await ops.getByRole('button', { name: 'Import CSV' }).click();
    await (await chooser).setFiles(bad);
    const errors = ops.getByTestId('import-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('Line 3: installed_on must be a date');
    expect(await grid.getByRole('textbox', { name: 'Serial, row 1' }).count()).toBe(0);

    const good = csv(
      'good.csv',
      `${HEADER}\nCamera,Axis,P3265-LVE,AX-1,Dock 4,10.0.0.21,11.2,2026-03-02,2029-03-01\nReader,HID,Signo 40,HID-1,Lobby,,1.0,2026-03-04,\n`,
    );
    const again = ops.waitForEvent('filechooser');
    await ops.getByRole('button', { name: 'Import CSV' }).click();
    await (await again).setFiles(good);
    await ops.getByText('Imported 2 items.').waitFor();
    await expect.poll(() => grid.getByRole('textbox', { name: 'Serial, row 2' }).inputValue()).toBe('HID-1');

    // A cell edited in place is saved when left.
    const location = grid.getByRole('textbox', { name: 'Location, row 1' });
    await location.fill('Dock 4, north wall');
    await location.press('Tab');
    await expect
      .poll(async () => {
        const items = (
          await demoApi(url, demo)('operations', 'GET', `/engagements/${engagementId}/inventory`)
        ).items!;
        return items[0]!.location;
      })
      .toBe('Dock 4, north wall');

    // A new row.
    await grid.getByRole('textbox', { name: 'Type of a new item' }).fill('Controller');
    await grid.getByRole('textbox', { name: 'Model of a new item' }).fill('LP1502');
    await grid.getByRole('button', { name: 'Add' }).click();
    await expect
      .poll(() => grid.getByRole('textbox', { name: 'Type, row 3' }).inputValue())
      .toBe('Controller');

    const exported = await ops.request.get(`${url}/api/v1/engagements/${engagementId}/inventory.csv`);
    expect(exported.status()).toBe(200);
    expect(await exported.text()).toContain('"Dock 4, north wall"');
    expect(await ops.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toContain(
      'inventory.csv',
    );

    await checkBothSizes(ops, 'closeout-01-inventory');
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('records warranty, punch list, training and debrief; refuses the closeout naming each item, then closes out', async () => {
    const ops = await openCloseout('olive@demo.example');

    // The orphan products show before anything is trained.
    const orphans = ops.getByTestId('orphan-products');
    await orphans.waitFor();
    expect(await orphans.textContent()).toContain('HID Signo 40');

    // Closing out now is refused, naming every unmet item.
    await ops.getByRole('button', { name: 'Close out' }).click();
    const refusal = ops.getByRole('alert').filter({ hasText: 'The closeout checklist is not met' });
    await refusal.waitFor();
    const said = await refusal.textContent();
    expect(said).toContain('No operator was trained on');
    expect(said).toContain('No service lead');
    expect(said).toContain('No internal debrief');

    // A warranty, with its reminder day.
    const warranties = ops.getByRole('region', { name: 'Warranties and support contracts', exact: true });
    await warranties.getByRole('textbox', { name: 'Provider' }).fill('Axis');
    await warranties.getByRole('textbox', { name: 'Expires on' }).fill('2029-03-01');
    await warranties.getByRole('button', { name: 'Record warranty' }).click();
    await warranties.getByRole('cell', { name: 'Axis', exact: true }).waitFor();

    // A punch item, then done.
    const punch = ops.getByRole('region', { name: 'Punch list', exact: true });
    await punch.getByRole('textbox', { name: 'Item' }).fill('Label the IDF patch panel');
    await punch.getByRole('combobox', { name: 'Owner' }).click();
    await ops.getByRole('option', { name: 'Olive Operations' }).click();
    await punch.getByRole('button', { name: 'Add to the punch list' }).click();
    await punch.getByRole('button', { name: /^Done\W+Label the IDF patch panel$/ }).click();
    await punch.getByRole('button', { name: /^Reopen\W+Label the IDF patch panel$/ }).waitFor();

    // Training on each product: a model, then a whole type.
    const training = ops.getByRole('region', { name: 'Training', exact: true });
    const train = async (who: string, product: string) => {
      await training.getByRole('textbox', { name: 'Or their name' }).fill(who);
      await training.getByLabel('Product or system').fill(product);
      await training.getByRole('textbox', { name: 'Trained on' }).fill('2026-03-10');
      await training.getByRole('combobox', { name: 'Trainer' }).click();
      await ops.getByRole('option', { name: 'Sid Service' }).click();
      await training.getByRole('button', { name: 'Record training' }).click();
      await training
        .getByRole('table', { name: 'Training records' })
        .getByText(product, { exact: true })
        .waitFor();
    };
    await train('Rosa Reyes', 'Axis P3265-LVE');
    await train('Rosa Reyes', 'Reader');
    await train('Night guard', 'Controller');
    await expect.poll(() => orphans.count()).toBe(0);

    // The debrief, the service lead, then the closeout.
    const debrief = ops.getByRole('region', { name: 'Internal debrief', exact: true });
    await debrief.getByRole('textbox', { name: 'Held on' }).fill('2026-01-02');
    await debrief.getByLabel('Attendees').fill('Olive Operations');
    await debrief.getByLabel('Attendees').press('Enter');
    await debrief.getByRole('button', { name: 'Record the debrief' }).click();
    await debrief.getByText('With Olive Operations').waitFor();

    await ops.getByRole('combobox', { name: 'Service lead' }).click();
    await ops.getByRole('option', { name: 'Sid Service' }).click();
    await ops.getByRole('button', { name: 'Record introduction' }).click();
    await ops.getByText(/Service lead: Sid Service, introduced/).waitFor();
    await ops.getByText('4 of 4 met (handover)').waitFor();
    await checkBothSizes(ops, 'closeout-02-records');

    await ops.getByRole('button', { name: 'Close out' }).click();
    await ops.getByRole('status').filter({ hasText: 'Closed out' }).waitFor();
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('shows a viewer the package without a control to change it', async () => {
    const viewer = await openCloseout('vera@demo.example');
    await viewer.getByRole('table', { name: 'Inventory items' }).getByText('HID-1').waitFor();
    for (const name of [
      'Import CSV',
      'Close out',
      'Record warranty',
      'Add to the punch list',
      'Record training',
    ])
      expect(await viewer.getByRole('button', { name }).count(), name).toBe(0);
    expect(await viewer.getByRole('link', { name: 'Export CSV' }).count()).toBe(1);
    await checkBothSizes(viewer, 'closeout-03-viewer');
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
