import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { axeAtBothSizes, demoApi, signInToDemo } from './demo-session.js';

const DIALOG = "document.querySelector('[role=dialog]')";

/**
 * The global search (opened by `/` or Ctrl+K from anywhere), the keyboard shortcuts (listed on
 * `?`, the reviewer's actions offered only when the API allows them, never while typing or over a
 * dialog), a token revoked through a dialog of the page, and a playbook's transition told once:
 * in headless Chromium against the real server and the built UI, axe at both sizes.
 */
describe('search and keyboard shortcuts in a real browser', () => {
  let app: Api;
  let url: string;
  let demo: DemoSeed;
  let asDemo: ReturnType<typeof demoApi>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const pageErrors: string[] = [];
  const nativeDialogs: string[] = [];

  beforeAll(async () => {
    ({ app, url, seed: demo } = await startDemoServer());
    asDemo = demoApi(url, demo);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  beforeEach(() => {
    violations.length = 0;
    pageErrors.length = 0;
    nativeDialogs.length = 0;
  });

  /** axe at 1440×900 and at 390×844 (on the open dialog alone, with `scope`). */
  async function checkBothSizes(page: Page, name: string, scope = 'document'): Promise<void> {
    violations.push(...(await axeAtBothSizes(page, name, scope)));
  }

  async function signIn(email: string): Promise<Page> {
    const page = await signInToDemo(browser, url, email, { contexts });
    page.on('pageerror', (e) => pageErrors.push(`${email}: ${e.message}`));
    page.on('dialog', (d) => {
      nativeDialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    return page;
  }

  /** Waits for every dialog of the page to have closed (its closing transition included). */
  async function closed(page: Page): Promise<void> {
    await page.getByRole('dialog').first().waitFor({ state: 'detached' });
  }

  /** How many dialogs of the page are open, after the keys have had time to open one. */
  async function openDialogs(page: Page): Promise<number> {
    await page.waitForTimeout(300);
    return page.getByRole('dialog').count();
  }

  it('opens the search from anywhere with / or Ctrl+K, groups what it finds by kind, and Enter opens the one chosen', async () => {
    const ops = await signIn('olive@demo.example');
    // Typed into a field, "/" is a character, not the shortcut.
    await ops.getByRole('textbox', { name: 'Title contains' }).fill('');
    await ops.getByRole('textbox', { name: 'Title contains' }).press('/');
    expect(await openDialogs(ops)).toBe(0);
    expect(await ops.getByRole('textbox', { name: 'Title contains' }).inputValue()).toBe('/');
    await ops.getByRole('textbox', { name: 'Title contains' }).fill('');
    await ops.getByRole('heading', { name: 'Inbox' }).click();

    // Typed in one go: the letters after "/" are the search's, even before the dialog is drawn.
    await ops.keyboard.press('/');
    await ops.keyboard.type('harbor');
    const dialog = ops.getByRole('dialog', { name: 'Search' });
    const box = dialog.getByRole('combobox', { name: 'Handoffs, accounts, engagements and people' });
    await expect.poll(() => box.inputValue()).toBe('harbor');
    await expect.poll(() => box.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    const results = dialog.getByRole('listbox', { name: 'Search results' });
    await results
      .getByRole('group', { name: 'Accounts' })
      .getByRole('option', { name: /Harbor Freight Logistics/ })
      .waitFor();
    await results
      .getByRole('group', { name: 'People' })
      .getByRole('option', { name: /Dana Whitfield/ })
      .waitFor();
    expect(
      await results
        .getByRole('group')
        .evaluateAll((groups) => groups.map((g) => g.getAttribute('aria-label'))),
    ).toEqual(['Accounts', 'People']);
    await checkBothSizes(ops, 'search-01-results', DIALOG);

    // The arrow keys move through the results (the field keeps the focus); Enter opens one.
    expect(await box.getAttribute('aria-activedescendant')).toMatch(/^search-account-/);
    await ops.keyboard.press('ArrowDown');
    expect(await box.getAttribute('aria-activedescendant')).toMatch(/^search-contact-/);
    await ops.keyboard.press('ArrowUp');
    expect(await box.getAttribute('aria-activedescendant')).toMatch(/^search-account-/);
    expect(await results.getByRole('option', { selected: true }).textContent()).toContain(
      'Harbor Freight Logistics',
    );
    await ops.keyboard.press('Enter');
    await ops.getByRole('heading', { name: 'Harbor Freight Logistics' }).waitFor();
    await closed(ops);

    // Ctrl+K, from anywhere; a handoff found by its title opens its page.
    await ops.keyboard.press('Control+k');
    await box.waitFor();
    await ops.keyboard.type('MONTH-END');
    await results.getByRole('group', { name: 'Handoffs' }).waitFor();
    await results
      .getByRole('group', { name: 'Engagements' })
      .getByRole('option', { name: /Month-end close automation/ })
      .waitFor();
    await ops.keyboard.press('Enter');
    await ops.getByRole('tab', { name: 'Packet' }).waitFor();
    expect(ops.url()).toMatch(/\/handoffs\//);
    await closed(ops);

    // Wildcards are characters; nothing matches is said, not an error.
    await ops.keyboard.press('Control+k');
    await ops.keyboard.type('50%_');
    await dialog.getByRole('status').getByText('Nothing matches “50%_”.').waitFor();
    await ops.keyboard.press('Escape');
    await closed(ops);
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("lists every shortcut on ?, and offers the reviewer's actions by key only when the API allows them", async () => {
    const ops = await signIn('olive@demo.example');
    await ops.keyboard.press('?');
    const help = ops.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const handoffKeys = help.getByRole('table', { name: 'On a handoff, when you may take the action' });
    for (const action of [
      'Accept the packet',
      'Reject the packet',
      'Ask the sending team a question',
      'Edit the packet',
    ])
      await handoffKeys.getByRole('row', { name: new RegExp(action) }).waitFor();
    await help
      .getByRole('table', { name: 'Anywhere' })
      .getByRole('row', { name: /Go to the inbox/ })
      .waitFor();
    await checkBothSizes(ops, 'shortcuts-01-list', DIALOG);
    await ops.keyboard.press('Escape');

    // Under review with a question open: accepting waits for the answer, so `a` does nothing.
    await ops
      .getByRole('link', { name: /Month-end close automation/ })
      .first()
      .click();
    await ops.getByRole('tab', { name: 'Packet' }).waitFor();
    await ops.keyboard.press('a');
    expect(await openDialogs(ops)).toBe(0);

    // `q` asks in a dialog; keys typed there are the question's, not shortcuts.
    await ops.keyboard.press('q');
    const ask = ops.getByRole('dialog', { name: 'Ask the sending team' });
    await ask.getByRole('textbox', { name: 'Question' }).fill('');
    await ask.getByRole('textbox', { name: 'Question' }).pressSequentially('are 4 sites right?');
    expect(await ops.getByRole('dialog').count()).toBe(1);
    expect(await ask.getByRole('textbox', { name: 'Question' }).inputValue()).toBe('are 4 sites right?');
    await ops.keyboard.press('Escape');
    await closed(ops);

    // `r` opens the rejection's dialog; another key over it opens nothing more.
    await ops.keyboard.press('r');
    await ops.getByRole('dialog', { name: 'Reject the packet' }).waitFor();
    await ops.keyboard.press('q');
    expect(await openDialogs(ops)).toBe(1);
    await ops.keyboard.press('Escape');
    await closed(ops);
    // The reviewer may not edit the sender's packet: `e` does nothing.
    await ops.keyboard.press('e');
    expect(await ops.evaluate('document.activeElement?.tagName')).not.toBe('TEXTAREA');

    // Once the sender answers, `a` accepts, through the same confirmation.
    const handoffId = ops.url().split('/handoffs/')[1]!;
    const questions = await asDemo('sales', 'GET', `/handoffs/${handoffId}/questions`);
    for (const q of questions.items ?? [])
      if (q.state === 'open')
        await asDemo('sales', 'POST', `/questions/${q.id}/answer`, {
          answer: 'Yes, Tacoma is one of the 4.',
        });
    await ops.reload();
    await ops.getByRole('button', { name: 'Accept', exact: true }).waitFor();
    await expect.poll(() => ops.getByRole('button', { name: 'Accept', exact: true }).isEnabled()).toBe(true);
    await ops.keyboard.press('?');
    expect(
      await help
        .getByRole('row', { name: /Accept the packet/ })
        .getByRole('cell')
        .last()
        .textContent(),
    ).toBe('Available');
    await ops.keyboard.press('Escape');
    await closed(ops);
    await ops.keyboard.press('a');
    const confirm = ops.getByRole('dialog', { name: 'Accept this packet?' });
    await confirm.waitFor();
    await checkBothSizes(ops, 'shortcuts-02-accept', DIALOG);
    await confirm.getByRole('button', { name: 'Accept packet' }).click();
    await ops.getByText('Accepted', { exact: true }).first().waitFor();

    // `g` then `i`: the inbox.
    await closed(ops);
    await ops.keyboard.press('g');
    await ops.keyboard.press('i');
    await ops.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("revokes a token after asking in a dialog of the page, not the browser's", async () => {
    const admin = await signIn('admin@demo.example');
    await admin.goto(`${url}/admin`);
    await admin.getByRole('tab', { name: 'API tokens' }).click();
    const revoke = admin.getByRole('button', { name: /^Revoke token / }).first();
    await revoke.click();
    const dialog = admin.getByRole('dialog', { name: /^Revoke the token/ });
    await dialog.waitFor({ timeout: 3000 });
    expect(nativeDialogs).toEqual([]);
    await checkBothSizes(admin, 'admin-01-revoke', DIALOG);
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await admin.getByText('Revoked').first().waitFor();
    expect(violations).toEqual([]);
  }, 60_000);

  it('tells a transition once: on its playbook, one arrow for the teams and the stages in words; under a handoff named after it, not again', async () => {
    const sales = await signIn('sam@demo.example');
    await sales.goto(`${url}/playbooks/professional-services`);
    await sales.getByRole('heading', { name: 'Written transfer packet' }).waitFor();
    const text = (await sales.locator('main').innerText()).toLowerCase();
    expect(text.match(/sales → /g) ?? []).toHaveLength(1);
    expect(text).toContain('moves the engagement from sales to delivery');
    await checkBothSizes(sales, 'playbook-01-detail');

    // A handoff named after its transition does not say the transition's name again beneath it.
    await sales.goto(url);
    await sales
      .getByRole('link', { name: /^Written transfer packet: / })
      .first()
      .click();
    const header = sales
      .locator('main')
      .getByText(/Sales → Operations/)
      .first();
    await header.waitFor();
    expect(await header.textContent()).not.toContain('Written transfer packet');
    expect(violations).toEqual([]);
  }, 60_000);
});
