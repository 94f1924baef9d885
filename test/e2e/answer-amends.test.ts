import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { axeViolations } from './axe-check.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * Issue 12, item 4, as it was found: the demo's submitted packet has a question on its in-scope
 * work, and the sender could only answer in words. Now the answer corrects the field too: the
 * reviewer sees revision 2, marked as changed since what they saw, with the correction in the
 * Revisions tab beside the question it answered.
 */
describe('answering a question corrects the field, in a real browser', () => {
  let app: Api;
  let url: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ({ app, url } = await startDemoServer());
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  async function signIn(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByLabel('E-mail').fill(email);
    await page.locator('input[type=password]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    return page;
  }

  async function openHandoff(page: Page): Promise<void> {
    await page
      .getByRole('link', { name: /Month-end close automation/ })
      .first()
      .click();
    await page.getByRole('tab', { name: /Questions/ }).waitFor();
  }

  it('the sender answers and corrects the in-scope work; the reviewer sees revision 2 and what changed', async () => {
    // The reviewer reads revision 1 first, so "changed since" has something to be since.
    const ops = await signIn('olive@demo.example');
    await openHandoff(ops);

    const sales = await signIn('sam@demo.example');
    await openHandoff(sales);
    await sales.getByRole('tab', { name: /Questions/ }).click();
    const correct = sales.getByRole('checkbox', {
      name: /Also correct "In-scope work" \(makes revision 2\)/,
    });
    await correct.check();
    const item = sales.getByRole('textbox', { name: 'In-scope work (corrected), item 3' });
    await item.fill('Close checklist for 5 sites, Tacoma included');
    await sales.getByRole('textbox', { name: 'Your answer' }).fill('Yes: Tacoma makes five. Corrected.');
    for (const [size, name] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      await sales.setViewportSize(size);
      expect(await axeViolations(sales, `answer-amends-form-${name}`)).toEqual([]);
    }
    await sales.setViewportSize(DESKTOP);
    await sales.getByRole('button', { name: 'Send answer and correction' }).click();
    await sales.getByText('The answer corrected the field: revision 2.').waitFor();

    await ops.reload();
    await ops.getByText(/Changed since you last looked \(revision 1\)/).waitFor();
    await ops.getByText('Changed since revision 1').waitFor();
    await ops.getByText('Close checklist for 5 sites, Tacoma included').waitFor();
    await ops.getByRole('tab', { name: 'Revisions' }).click();
    const revisions = ops.getByRole('table', { name: 'Revisions and decisions' });
    await revisions.getByText(/Corrected in an answer to “Does "4 sites" include/).waitFor();
    // The diff of 1 → 2 shows the corrected line, as people read a list.
    await ops.getByText('Close checklist for 4 sites').first().waitFor();
    await ops.getByText('Close checklist for 5 sites, Tacoma included').first().waitFor();
    expect(await axeViolations(ops, 'answer-amends-revisions-desktop')).toEqual([]);
    // Nothing left to answer: the reviewer may accept revision 2.
    await ops.getByRole('button', { name: 'Accept' }).first().waitFor();
  });
});
