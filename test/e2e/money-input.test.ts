import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { EXAMPLE_PACKETS } from '../support/example-packets.js';
import { axeViolations } from './axe-check.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';

/**
 * Money in the packet editor, in real Chromium against the real server: an amount typed key by key
 * is kept as typed and saved in minor units, in the organisation's locale; a playbook that wants a
 * positive amount has readiness name a 0.00 line. axe finds nothing on the editor at either size.
 */
describe('money in the packet editor, in a real browser', () => {
  let app: Api;
  let url: string;
  let browser: Browser;
  let seed: DemoSeed;
  let handoffId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const tokenOf = (role: string) => seed.users.find((u) => u.role === role)!.token;
  async function apiCall(role: string, method: string, path: string, body?: unknown) {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokenOf(role)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  beforeAll(async () => {
    ({ app, url, seed } = await startDemoServer());
    browser = await launchChromium();

    // A security integrator's draft, complete but for its contract value, whose first
    // bill-of-materials line is priced at 0.00.
    const example = structuredClone(
      EXAMPLE_PACKETS['security-integrator']!['sales-to-operations']!,
    ) as Record<string, Record<string, unknown>>;
    delete example.financials!.contract_value;
    const lines = example.scope!.bill_of_materials as Record<string, unknown>[];
    lines[0]!.unit_price = { amount_minor: 0, currency: 'USD' };
    const account = await apiCall('sales', 'POST', '/accounts', { name: 'Riverside Distribution' });
    const engagement = await apiCall('sales', 'POST', '/engagements', {
      account_id: account.id,
      name: 'Riverside cameras and access',
      stage: 'sales',
    });
    const handoff = await apiCall('sales', 'POST', '/handoffs', {
      engagement_id: engagement.id,
      playbook: 'security-integrator',
      transition: 'sales-to-operations',
      packet: example,
    });
    handoffId = handoff.id as string;
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  async function signIn(email: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
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

  async function openEditor(page: Page): Promise<Locator> {
    await page.goto(`${url}/handoffs/${handoffId}`);
    const input = page.getByRole('textbox', { name: 'Contract value', exact: true });
    await input.waitFor();
    return input;
  }

  /** Types one key at a time, answering what the field shows after each. */
  async function typeKeys(page: Page, input: Locator, text: string): Promise<string[]> {
    const shown: string[] = [];
    for (const key of text) {
      await page.keyboard.type(key);
      shown.push(await input.inputValue());
    }
    return shown;
  }

  async function savedContractValue(): Promise<unknown> {
    const handoff = (await apiCall('sales', 'GET', `/handoffs/${handoffId}`)) as {
      packet: { financials?: { contract_value?: unknown } };
    };
    return handoff.packet.financials?.contract_value;
  }

  /** Every axe violation on the page, whatever its impact. */
  const moneyViolations = (page: Page, name: string) => axeViolations(page, `money-${name}`);

  it('keeps 245.50 typed key by key and saves 24550 minor units', async () => {
    const sales = await signIn('sam@demo.example');
    const input = await openEditor(sales);
    await input.click();
    expect(await typeKeys(sales, input, '245.50')).toEqual(['2', '24', '245', '245.', '245.5', '245.50']);
    await sales.keyboard.press('Tab');
    expect(await input.inputValue()).toBe('245.50');
    await expect
      .poll(savedContractValue, { timeout: 15_000 })
      .toEqual({ amount_minor: 24550, currency: 'EUR' });
    // The currency is picked from a list, named for its field, starting at the organisation's.
    const currency = sales.getByRole('combobox', { name: 'Currency of Contract value' });
    expect(await currency.inputValue()).toMatch(/^EUR/);
    expect(pageErrors).toEqual([]);
  });

  it('names a 0.00 bill-of-materials line in the readiness checklist', async () => {
    const sales = await signIn('sam@demo.example');
    await openEditor(sales);
    const missing = sales.getByRole('list', { name: 'What is missing' });
    await expect
      .poll(() => missing.textContent())
      .toMatch(/Unit price.*row 1.*Bill of materials.*more than zero/);
    expect(await sales.getByRole('button', { name: 'Submit packet' }).isDisabled()).toBe(true);
  });

  it('finds no accessibility violation on the packet editor at 1440×900 and 390×844', async () => {
    const wide = await signIn('sam@demo.example');
    await openEditor(wide);
    await wide.getByRole('list', { name: 'What is missing' }).waitFor();
    const found = await moneyViolations(wide, 'packet-editor-1440');
    const narrow = await signIn('sam@demo.example', { width: 390, height: 844 });
    await openEditor(narrow);
    found.push(...(await moneyViolations(narrow, 'packet-editor-390')));
    expect(found).toEqual([]);
  });

  it('reads 1.234,56 in a de-DE organisation as 123456 minor units', async () => {
    // An admin sets the organisation's locale on the admin screen.
    const admin = await signIn('admin@demo.example');
    await admin.goto(`${url}/admin`);
    await admin.getByRole('tab', { name: 'Formats' }).click();
    const locale = admin.getByRole('textbox', { name: 'Locale' });
    expect(await locale.inputValue()).toBe('en-GB');
    await locale.fill('xx-YY');
    await admin.getByText('Not a locale this browser knows.').waitFor();
    await admin.getByRole('button', { name: 'Save formats' }).click();
    await admin.getByText(/"xx-YY" is not a locale this server knows/).waitFor();
    expect(await moneyViolations(admin, 'admin-formats-refused')).toEqual([]);
    await locale.fill('de-DE');
    await admin.getByText(/Amounts and dates will read: 1\.234\.567,89/).waitFor();
    expect(await moneyViolations(admin, 'admin-formats')).toEqual([]);
    await admin.setViewportSize({ width: 390, height: 844 });
    expect(await moneyViolations(admin, 'admin-formats-390')).toEqual([]);
    await admin.setViewportSize({ width: 1440, height: 900 });
    await admin.getByRole('button', { name: 'Save formats' }).click();
    await admin.getByText('Formats saved: de-DE, EUR.').waitFor();
    try {
      const sales = await signIn('sam@demo.example');
      const input = await openEditor(sales);
      // What was saved, shown in the organisation's locale while not being edited.
      expect(await input.inputValue()).toBe('245,50');
      await input.click();
      await sales.keyboard.press('ControlOrMeta+A');
      await sales.keyboard.press('Backspace');
      expect(await typeKeys(sales, input, '1.234,56')).toEqual([
        '1',
        '1.',
        '1.2',
        '1.23',
        '1.234',
        '1.234,',
        '1.234,5',
        '1.234,56',
      ]);
      await sales.keyboard.press('Tab');
      expect(await input.inputValue()).toBe('1.234,56');
      await expect
        .poll(savedContractValue, { timeout: 15_000 })
        .toEqual({ amount_minor: 123456, currency: 'EUR' });
    } finally {
      await apiCall('admin', 'PUT', '/organisation/formats', { locale: 'en-GB', currency: 'EUR' });
    }
  });
});
