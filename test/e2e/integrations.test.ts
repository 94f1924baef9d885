import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { crmPlaybook } from '../support/crm-playbook.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { axeAtBothSizes, demoApi, signInToDemo } from './demo-session.js';

const PIPEDRIVE = readFileSync(join(import.meta.dirname, '../fixtures/integrations/pipedrive-won.json'));

/**
 * The integrations screen in real Chromium: an admin adds a Pipedrive source in the form, sees its
 * secret once, Pipedrive's won deal arrives (and a request with a wrong password), and the screen
 * lists the source's mapping, the event that opened a draft with the value it left out, and the
 * refused one with why. axe-core at 1440x900 and on a 390 px phone.
 */
describe('the integrations screen', () => {
  let app: Api;
  let url: string;
  let seed: DemoSeed;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ({ app, url, seed } = await startDemoServer());
    browser = await launchChromium();
    await demoApi(url, seed)('admin', 'POST', '/playbooks', { source: crmPlaybook() });
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  it('adds a source, shows its secret once, and lists what its events did and why one was refused', async () => {
    const page = await signInToDemo(browser, url, 'admin@demo.example', { contexts });
    await page.goto(`${url}/admin`);
    await page.getByRole('tab', { name: 'Integrations' }).click();
    await page.getByRole('heading', { name: 'Add an integration' }).waitFor();
    await page.getByLabel('Integration name').fill('Pipedrive sales');
    await page.getByLabel('Settings (JSON)').fill('{ "playbook": "crm-intake" }');
    await page.getByRole('button', { name: 'Add integration' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'shown only once' });
    await alert.waitFor();
    const secret = (await alert.locator('pre, code').first().textContent())!.trim();
    expect(secret).toMatch(/^bis_/);

    const source = (await demoApi(url, seed)('admin', 'GET', '/integration-sources')).items![0]!;
    const send = (password: string) =>
      fetch(`${url}${source.inbound_path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`baton:${password}`).toString('base64')}`,
        },
        body: PIPEDRIVE,
      });
    expect((await send(secret)).status).toBe(200);
    expect((await send('wrong-password')).status).toBe(401);

    await page.getByRole('button', { name: 'Hide the secret' }).click();
    await page.reload();
    await page.getByRole('tab', { name: 'Integrations' }).click();
    const card = page.getByRole('region', { name: /Pipedrive sales/ });
    await card.getByText('Acme - 400 Widgets', { exact: true }).waitFor();
    await card.getByText('does not carry the user name and password of this source').waitFor();
    await card.getByText('is not a number').first().waitFor();
    await card.getByText('packet.deal.contract_value', { exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await axeAtBothSizes(page, 'integrations')).toEqual([]);

    // The draft the deal opened says, on its own page, what it could not take.
    const [created] = (
      await demoApi(url, seed)('admin', 'GET', `/integration-sources/${source.id}/events`)
    ).items!.filter((e) => e.outcome === 'created');
    const sales = await signInToDemo(browser, url, 'sam@demo.example', { contexts });
    await sales.goto(`${url}/handoffs/${created!.handoff_id}`);
    const note = sales.getByRole('alert').filter({ hasText: 'From the CRM' });
    await note.getByText('is not a number').waitFor();
    await sales.waitForLoadState('networkidle');
    expect(await axeAtBothSizes(sales, 'integrations-draft')).toEqual([]);
  }, 120_000);

  it('is not offered to a role that may not manage integrations', async () => {
    const page = await signInToDemo(browser, url, 'sam@demo.example', { contexts });
    await page.goto(`${url}/admin`);
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('tab', { name: 'Integrations' }).count()).toBe(0);
  });
});
