import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { axeViolations } from './axe-check.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * Accounts, contacts and engagements created where the work happens, a second open handoff for
 * one engagement and transition refused with the open one named, and "Waiting on me" showing the
 * receiver an accepted handoff: in headless Chromium against the real server and the built UI,
 * with axe on every new screen at desktop and phone sizes.
 */
describe('records and the inbox in a real browser', () => {
  let app: Api;
  let url: string;
  let demo: DemoSeed;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, url, seed: demo } = await startDemoServer());
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  /** The API as one of the demo's people, by their token (to set a scene, not to test it). */
  async function asDemo(role: string, method: string, path: string, body?: unknown) {
    const token = demo.users.find((u) => u.role === role)!.token;
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Record<string, unknown> & { items?: Record<string, unknown>[] };
    expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBeLessThan(300);
    return json;
  }

  /** Runs axe-core on the page (or on the open dialog alone), at the size it has now. */
  async function axeCheck(page: Page, name: string, scope = 'document'): Promise<void> {
    const found = await axeViolations(page, name, { scope });
    violations.push(...found.map((v) => `${name}: ${v}`));
  }

  /** axe at 1440×900 and at 390×844; the page is no wider than the phone. */
  async function checkBothSizes(page: Page, name: string, scope = 'document'): Promise<void> {
    await page.setViewportSize(DESKTOP);
    await axeCheck(page, `${name}-desktop`, scope);
    await page.setViewportSize(PHONE);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow, `${name}: the page is no wider than the phone`).toBeLessThanOrEqual(0);
    await axeCheck(page, `${name}-phone`, scope);
    await page.setViewportSize(DESKTOP);
  }

  // Each test answers for the pages it checked.
  beforeEach(() => {
    violations.length = 0;
    pageErrors.length = 0;
  });

  async function signIn(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${email}: ${e.message}`));
    await page.goto(url);
    await page.getByLabel('E-mail').fill(email);
    await page.locator('input[type=password]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    return page;
  }

  /** Chooses an option of a Mantine select inside the dialog. */
  async function choose(page: Page, label: string, option: string | RegExp): Promise<void> {
    await page.getByRole('dialog').getByLabel(label).click();
    await page.getByRole('option', { name: option }).click();
  }

  it('creates an account, a contact and an engagement in the UI, and opens a handoff from the engagement', async () => {
    const sales = await signIn('sam@demo.example');
    await sales.getByRole('link', { name: 'Accounts' }).click();
    await sales.getByRole('heading', { name: 'Accounts' }).waitFor();
    await sales.getByRole('link', { name: 'Harbor Freight Logistics' }).waitFor();
    await checkBothSizes(sales, 'records-01-accounts');

    // A new account, in a dialog.
    await sales.getByRole('button', { name: 'New account' }).click();
    const dialog = sales.getByRole('dialog', { name: 'New account' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Fjord Cold Storage');
    await dialog.getByRole('textbox', { name: 'Notes' }).fill('Two freezer sites near Bergen.');
    await checkBothSizes(sales, 'records-02-new-account', "document.querySelector('[role=dialog]')");
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await sales.getByRole('heading', { name: 'Fjord Cold Storage' }).waitFor();
    await sales.getByText('Two freezer sites near Bergen.').waitFor();

    // A contact, then corrected.
    await sales.getByRole('button', { name: 'Add contact' }).click();
    await sales.getByRole('dialog').getByRole('textbox', { name: 'Name' }).fill('Ingrid Nilsen');
    await choose(sales, 'Role in the deal', 'Champion');
    await sales.getByRole('dialog').getByRole('textbox', { name: 'E-mail' }).fill('ingrid@fjord.example');
    await checkBothSizes(sales, 'records-03-add-contact', "document.querySelector('[role=dialog]')");
    await sales.getByRole('dialog').getByRole('button', { name: 'Add contact' }).click();
    const contacts = sales.getByRole('table', { name: 'Contacts' });
    await contacts.getByText('Ingrid Nilsen').waitFor();
    await sales.getByRole('button', { name: 'Edit Ingrid Nilsen' }).click();
    await sales.getByRole('dialog').getByRole('textbox', { name: 'Job title' }).fill('Head of operations');
    await sales.getByRole('dialog').getByRole('button', { name: 'Save contact' }).click();
    await contacts.getByText('Head of operations').waitFor();
    expect(await contacts.textContent()).toContain('Champion');

    // An engagement, then renamed.
    await sales.getByRole('button', { name: 'New engagement' }).click();
    await sales.getByRole('dialog').getByRole('textbox', { name: 'Name' }).fill('Freezer door access');
    await sales.getByRole('dialog').getByRole('textbox', { name: 'Stage' }).fill('sales');
    await sales.getByRole('dialog').getByRole('button', { name: 'Create engagement' }).click();
    const engagements = sales.getByRole('table', { name: 'Engagements' });
    await engagements.getByRole('link', { name: 'Freezer door access' }).waitFor();
    await sales.getByRole('button', { name: 'Edit Freezer door access' }).click();
    await sales
      .getByRole('dialog')
      .getByRole('textbox', { name: 'Name' })
      .fill('Freezer door access, phase 1');
    await sales.getByRole('dialog').getByRole('button', { name: 'Save engagement' }).click();
    await engagements.getByRole('link', { name: 'Freezer door access, phase 1' }).waitFor();
    await sales.getByRole('dialog').waitFor({ state: 'hidden' });
    await checkBothSizes(sales, 'records-04-account');

    // A handoff from the engagement: the engagement is already chosen.
    await sales.getByRole('button', { name: 'New handoff for Freezer door access, phase 1' }).click();
    const newHandoff = sales.getByRole('dialog', { name: 'New handoff' });
    // Chosen once the engagements are loaded.
    await expect
      .poll(() => newHandoff.getByLabel('Engagement').inputValue())
      .toBe('Freezer door access, phase 1');
    await choose(sales, 'Playbook', 'Professional services transfer packet');
    await choose(sales, 'Transition', /Written transfer packet/);
    await newHandoff.getByRole('button', { name: 'Create draft' }).click();
    await sales.getByRole('button', { name: 'Submit packet' }).waitFor();
    expect(sales.url()).toMatch(/\/handoffs\/[0-9A-Za-z-]+$/);
    await sales.getByText('Written transfer packet: Freezer door access, phase 1').first().waitFor();

    // A viewer sees the records, and no control to change them.
    const viewerEmail = demo.users.find((u) => u.role === 'viewer')?.email;
    if (viewerEmail) {
      const viewer = await signIn(viewerEmail);
      await viewer.getByRole('link', { name: 'Accounts' }).click();
      await viewer.getByRole('link', { name: 'Fjord Cold Storage' }).click();
      await viewer.getByRole('table', { name: 'Contacts' }).getByText('Ingrid Nilsen').waitFor();
      for (const name of ['Edit account', 'Add contact', 'New engagement', 'Edit Ingrid Nilsen'])
        expect(await viewer.getByRole('button', { name }).count(), name).toBe(0);
    }

    expect(pageErrors).toEqual([]);
    expect(violations).toEqual([]);
  }, 180_000);

  it('refuses a second open handoff for the same engagement and transition, naming the open one', async () => {
    const sales = await signIn('sam@demo.example');
    await sales.getByRole('link', { name: 'Accounts' }).click();
    await sales.getByRole('link', { name: 'Harbor Freight Logistics' }).click();
    // The demo's rollout engagement has a draft open on the professional-services transition.
    await sales.getByRole('button', { name: 'New handoff for Warehouse access control rollout' }).click();
    const dialog = sales.getByRole('dialog', { name: 'New handoff' });
    await choose(sales, 'Playbook', 'Professional services transfer packet');
    await choose(sales, 'Transition', /Written transfer packet/);
    await dialog.getByRole('button', { name: 'Create draft' }).click();
    await dialog.getByText('The handoff was not created').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toContain(
      '“Written transfer packet: Warehouse access control rollout”',
    );
    const toOpen = dialog.getByRole('link', {
      name: 'Go to the open handoff “Written transfer packet: Warehouse access control rollout”',
    });
    await checkBothSizes(
      sales,
      'records-05-second-handoff-refused',
      "document.querySelector('[role=dialog]')",
    );
    await toOpen.click();
    await sales.getByRole('button', { name: 'Submit packet' }).waitFor();

    // Still one handoff on the engagement for that transition.
    const list = await asDemo('sales', 'GET', '/handoffs?limit=200');
    const rollouts = (list.items ?? []).filter(
      (h) => h.title === 'Written transfer packet: Warehouse access control rollout',
    );
    expect(rollouts).toHaveLength(1);
    expect(pageErrors).toEqual([]);
    expect(violations).toEqual([]);
  }, 120_000);

  it('shows the receiver an accepted handoff under "Waiting on me", to start its delivery', async () => {
    // The demo's submitted packet: its question answered, then accepted by operations.
    const list = await asDemo('operations', 'GET', '/handoffs?state=submitted&limit=200');
    const submitted = (list.items ?? []).find((h) => String(h.title).includes('Month-end close automation'))!;
    const questions = await asDemo('operations', 'GET', `/handoffs/${submitted.id}/questions`);
    for (const q of (questions.items ?? []).filter((q) => q.state === 'open'))
      await asDemo('sales', 'POST', `/questions/${q.id}/answer`, {
        answer: 'Yes, Tacoma is the fourth site.',
      });
    await asDemo('operations', 'POST', `/handoffs/${submitted.id}/accept`);

    const ops = await signIn('olive@demo.example');
    // "Waiting on me" is the inbox's first view.
    await ops.getByRole('radio', { name: 'Waiting on me' }).waitFor({ state: 'attached' });
    expect(await ops.getByRole('radio', { name: 'Waiting on me' }).isChecked()).toBe(true);
    const row = ops.getByRole('row', { name: new RegExp(String(submitted.title)) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Accepted');
    expect(await row.textContent()).toContain('Deliver');
    await checkBothSizes(ops, 'records-06-waiting-on-me-receiver');

    // The sender has nothing to do on it: it is not waiting on them.
    const sales = await signIn('sam@demo.example');
    await sales.getByRole('link', { name: /Warehouse access control rollout/ }).waitFor();
    expect(await sales.getByRole('link', { name: String(submitted.title) }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
    expect(violations).toEqual([]);
  }, 120_000);
});
