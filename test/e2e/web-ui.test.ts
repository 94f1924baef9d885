import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { axeViolations, SHOTS } from './axe-check.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';

/**
 * The whole contract flow through the real UI in headless Chromium, against the real server on a
 * free port with a temporary SQLite database and the built UI. Each screen is screenshotted and
 * checked with axe-core for serious or critical accessibility violations.
 */
describe('the web UI in a real browser', () => {
  let app: Api;
  let url: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, url } = await startDemoServer());
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  /** On a failure, the page as it was, for whoever reads the report. */
  async function onFailure(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `failure-${name}.png`), fullPage: true }).catch(() => {});
  }

  /** Screenshots the page and runs axe-core on it (or, while a dialog is open, on the dialog alone). */
  async function check(page: Page, name: string, scope = 'document'): Promise<void> {
    const found = await axeViolations(page, name, { scope, impacts: ['serious', 'critical'] });
    violations.push(...found.map((v) => `${name}: ${v}`));
  }

  async function signIn(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
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

  const TITLE = /Warehouse access control rollout/;

  it('runs the contract: fill, blocked submit, submit, question, answer, reject, revise, accept, diff, PDF', async () => {
    // Sign-in screen, and a wrong password said in words.
    const probe = await browser.newPage();
    probe.setDefaultTimeout(10_000);
    await probe.goto(url);
    await probe.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    await probe.getByLabel('E-mail').fill('sam@demo.example');
    await probe.locator('input[type=password]').fill('not the password');
    await probe.getByRole('button', { name: 'Sign in' }).click();
    await probe.getByText('The e-mail address or the password is wrong.').waitFor();
    await check(probe, '01-sign-in');
    await probe.close();

    // Sales: inbox, open the draft, see submit blocked with the missing fields named.
    const sales = await signIn('sam@demo.example');
    await sales.getByRole('link', { name: TITLE }).waitFor();
    await check(sales, '02-inbox-sales');
    await sales.getByRole('link', { name: TITLE }).click();
    const submit = sales.getByRole('button', { name: 'Submit packet' });
    await submit.waitFor().catch(async (e) => {
      await onFailure(sales, 'editor');
      throw new Error(`${e}\n${pageErrors.join('\n')}`);
    });
    expect(await submit.isDisabled()).toBe(true);
    const missing = sales.getByRole('list', { name: 'What is missing' });
    await expect.poll(() => missing.textContent()).toContain('Success metric is required');
    expect(await missing.textContent()).toContain('Named buyer is required');
    expect(await sales.locator('#action-reason').textContent()).toMatch(/Not ready: \d+ fields missing/);
    await check(sales, '03-packet-editor-incomplete');
    // Every item of the checklist starts at the same place, a long one wrapping under itself.
    const boxes = await sales.evaluate(
      `[...document.querySelectorAll('[aria-label="What is missing"] li')].filter((li) => getComputedStyle(li.querySelector('a, button')).display !== 'inline').length`,
    );
    expect(boxes, 'checklist items that are boxes rather than text').toBe(0);
    // On a phone the checklist is below the packet; the readiness bar is on screen wherever the
    // reader is, and takes them to it.
    await sales.setViewportSize({ width: 390, height: 844 });
    await sales.evaluate('window.scrollTo(0, document.body.scrollHeight / 2)');
    const bar = sales.getByRole('region', { name: 'Readiness at a glance' });
    expect(await bar.textContent()).toMatch(/\d+ fields? missing or invalid/);
    const inView = (selector: string) =>
      sales.evaluate(
        `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })()`,
      );
    expect(await inView('[aria-label="Readiness at a glance"]')).toBe(true);
    await check(sales, '03a-packet-editor-phone');
    await bar.getByRole('button', { name: 'Show the checklist' }).click();
    await expect.poll(() => inView('#readiness-title')).toBe(true);
    await sales.setViewportSize({ width: 1280, height: 860 });

    // Complete the packet; autosave; submit.
    await sales
      .getByRole('textbox', { name: 'Success metric' })
      .fill('Every dock door badged before 1 October');
    await sales
      .getByRole('textbox', { name: 'In-scope work, item 1' })
      .fill('Badge readers on 24 dock doors');
    await sales.getByRole('textbox', { name: 'Explicitly out of scope, item 1' }).fill('CCTV');
    // A row just added is not an error before anything is typed in it.
    const counted = async () =>
      Number(/(\d+) fields?/.exec((await sales.locator('#action-reason').textContent()) ?? '')?.[1] ?? 0);
    await sales.getByText('Saved', { exact: true }).waitFor();
    const before = await counted();
    await sales.getByRole('button', { name: 'Add item to In-scope work' }).click();
    await sales.getByRole('textbox', { name: 'In-scope work, item 2' }).waitFor();
    await sales.getByText('Saved', { exact: true }).waitFor();
    expect(await counted(), 'fields to fix after adding an empty row').toBeLessThanOrEqual(before);
    expect(await missing.textContent()).not.toMatch(/In-scope work.*item 2|\/scope\/in_scope\/1/);
    await sales.getByRole('button', { name: 'Remove item 2 of In-scope work' }).click();
    await sales.getByRole('textbox', { name: 'Named buyer: name' }).fill('Dana Whitfield');
    await sales.getByRole('textbox', { name: 'Named buyer: their role' }).fill('COO');
    await sales.getByRole('textbox', { name: 'Named champion: name' }).fill('Luis Ortega');
    await sales.getByRole('textbox', { name: 'Named champion: their role' }).fill('Facilities lead');
    await sales.getByRole('button', { name: 'Add row to Promises made during the sales cycle' }).click();
    await sales
      .getByRole('textbox', { name: 'What was promised (row 1)' })
      .fill('Weekly call during rollout');
    await sales.getByRole('textbox', { name: 'Promised by (row 1)' }).fill('Sam Seller');
    await sales
      .getByLabel('Anything else that might surprise delivery')
      .fill('Peak season starts in November.');
    await sales
      .getByRole('textbox', { name: 'Ultimate objective' })
      .fill('Badge access at every door, audited monthly.');
    await sales
      .getByRole('textbox', { name: 'Earliest signal of progress' })
      .fill('First site live in week 2.');
    await sales
      .getByRole('textbox', { name: 'Minimum acceptable outcome' })
      .fill('Two of four sites before peak.');
    await sales
      .getByRole('textbox', { name: 'Early win within the first month' })
      .fill('Tacoma dock doors live by day 30.');
    await sales.getByRole('complementary').getByText('Ready to submit').waitFor();
    await expect.poll(() => submit.isEnabled(), { timeout: 10_000 }).toBe(true);
    await sales.getByText('Saved', { exact: true }).waitFor();
    await check(sales, '04-packet-editor-ready');
    await submit.click();
    await sales.getByText('Submitted', { exact: true }).first().waitFor();
    const handoffUrl = sales.url();

    // Operations: ask a question on a field; accept is blocked while it is open.
    const ops = await signIn('olive@demo.example');
    await ops.goto(handoffUrl);
    await ops.getByRole('button', { name: 'Ask about In-scope work' }).click();
    await ops
      .getByRole('textbox', { name: 'Question about In-scope work' })
      .fill('Which of the four sites come first?');
    await ops.getByRole('button', { name: 'Ask question' }).click();
    await ops.getByText('Which of the four sites come first?').waitFor();
    const accept = ops.getByRole('button', { name: 'Accept', exact: true });
    await expect.poll(() => accept.isDisabled()).toBe(true);
    await ops.getByText('1 open question must be answered before acceptance.').waitFor();
    await check(ops, '05-review-open-question');

    // Sales sees the question inline where it applies and answers it.
    await sales.reload();
    await sales.getByText('Which of the four sites come first?').waitFor();
    await sales
      .getByRole('textbox', { name: 'Your answer' })
      .fill('Tacoma first, then Fife, Kent and Auburn.');
    await sales.getByRole('button', { name: 'Send answer' }).click();
    await sales.getByText('Tacoma first, then Fife, Kent and Auburn.').waitFor();
    await check(sales, '06-question-answered');

    // Operations rejects with a catalogued reason.
    await ops.reload();
    await expect.poll(() => accept.isEnabled()).toBe(true);
    await ops.getByRole('button', { name: 'Reject…' }).click();
    await ops.getByRole('dialog').getByLabel('Reason').click();
    await ops.getByRole('option', { name: 'Scope ambiguous' }).click();
    await ops
      .getByRole('dialog')
      .getByRole('textbox', { name: 'Explanation' })
      .fill('Say which doors are in the first phase.');
    await check(ops, '07-reject-dialog', "document.querySelector('[role=dialog]')");
    await ops.getByRole('button', { name: 'Reject packet' }).click();
    await ops.getByText('Rejected: Scope ambiguous').waitFor();

    // Sales sees the rejection, revises, resubmits.
    await sales.reload();
    await sales.getByText('Rejected: Scope ambiguous').waitFor();
    await sales.getByText('Say which doors are in the first phase.').waitFor();
    await check(sales, '08-rejected-for-sender');
    await sales
      .getByLabel('In-scope work, item 1')
      .fill('Badge readers on the 6 Tacoma dock doors (phase 1)');
    await sales.getByLabel('Promised by (row 1)').fill('Sam Seller, at the site walk');
    await sales.getByText('Saved', { exact: true }).waitFor();
    await expect
      .poll(() => sales.getByRole('button', { name: 'Submit packet' }).isEnabled(), { timeout: 10_000 })
      .toBe(true);
    await sales.getByRole('button', { name: 'Submit packet' }).click();
    await sales.getByText('Submitted', { exact: true }).first().waitFor();

    // Operations opens the revised packet: what changed since they read revision 1 is marked.
    await ops.reload();
    await ops.getByRole('status').filter({ hasText: 'Changed since you last looked (revision 1)' }).waitFor();
    const marks = ops.getByText('Changed since revision 1', { exact: true });
    await expect.poll(() => marks.count()).toBe(2);

    // Operations accepts, reads the diff, the summary, the PDF and the timeline.
    await expect.poll(() => accept.isEnabled()).toBe(true);
    await check(ops, '08a-changed-since-seen');
    await accept.click();
    await ops.getByText('Accepted', { exact: true }).first().waitFor();
    await ops.getByRole('tab', { name: 'Revisions' }).click();
    // Each revision with the decision on it: the rejection's reason beside the revision it rejected.
    const revisionRows = ops.getByRole('table', { name: 'Revisions and decisions' }).locator('tbody tr');
    await expect
      .poll(() => revisionRows.nth(0).textContent())
      .toContain('Rejected (Scope ambiguous): Say which doors are in the first phase.');
    expect(await revisionRows.nth(1).textContent()).toContain('Accepted');
    const diff = ops.getByRole('table', { name: 'Changes from revision 1 to revision 2' });
    await diff.waitFor();
    expect(await diff.textContent()).toContain('In-scope work');
    expect(await diff.textContent()).toContain('phase 1');
    // A table's change is a table: the changed cell marked, with what it was; no raw JSON.
    const promisesDiff = ops.getByRole('table', { name: 'Changes to Promises made during the sales cycle' });
    const changedCell = promisesDiff.locator('td[data-changed]');
    expect(await changedCell.count()).toBe(1);
    expect(await changedCell.textContent()).toMatch(/^Sam Seller, at the site walkwas .+/);
    expect(await diff.textContent()).not.toMatch(/[{}]|amount_minor|"text":/);
    expect(await ops.locator('main').count(), 'one main landmark').toBe(1);

    // A promise marked broken asks what happened in a dialog of the page, not the browser's prompt.
    ops.on('dialog', (d) => {
      pageErrors.push(`a browser dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    await ops.getByRole('tab', { name: 'Records' }).click();
    const promiseStatus = ops.locator('input[aria-label="Status of \\"Weekly call during rollout\\""]');
    await promiseStatus.click();
    await ops.getByRole('option', { name: 'broken' }).click();
    const noteDialog = ops.getByRole('dialog', { name: 'Mark the promise broken' });
    await noteDialog
      .getByRole('textbox', { name: 'What happened?' })
      .fill('The client cancelled the weekly slot.');
    await check(ops, '09b-promise-broken-dialog', "document.querySelector('[role=dialog]')");
    await noteDialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => promiseStatus.inputValue()).toBe('broken');

    await check(ops, '09-revisions-diff');
    await ops.getByRole('tab', { name: 'Summary sheet' }).click();
    await ops.frameLocator('iframe').getByRole('heading', { name: TITLE }).waitFor();
    await check(ops, '10-summary');
    const id = handoffUrl.split('/').pop();
    const pdf = await ops.request.get(`${url}/api/v1/handoffs/${id}/summary?format=pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await ops.getByRole('link', { name: 'Engagement timeline' }).click();
    // The engagement's story in sentences, grouped by day; the audit log one click away.
    await ops.getByRole('heading', { name: 'What happened' }).waitFor();
    const story = (await ops.locator('main').first().textContent()) ?? '';
    expect(story).toMatch(/Sam \w+ sent “[^”]*Warehouse access control rollout[^”]*” for review\./);
    expect(story).toMatch(/sent a revised packet of “[^”]*” \(revision 2\)\./);
    expect(story).toMatch(/accepted “[^”]*Warehouse access control rollout/);
    expect(story).toContain('asked: “Which of the four sites come first?”');
    expect(story, 'no sequence numbers in the story').not.toMatch(/#\d+/);
    expect(story).not.toContain('Handoff packet edited');
    await check(ops, '11-timeline');
    // No badge is cut short, and no toast covers the header's user menu.
    const cut = await ops.evaluate(
      "[...document.querySelectorAll('.mantine-Badge-label')].filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent)",
    );
    expect(cut, 'badges cut short').toEqual([]);
    const overlap = await ops.evaluate(`(() => {
      const header = document.querySelector('header')?.getBoundingClientRect();
      return [...document.querySelectorAll('.mantine-Notification-root')].some((n) => {
        const r = n.getBoundingClientRect();
        return header && r.top < header.bottom && r.bottom > header.top && r.left < header.right && r.right > header.left;
      });
    })()`);
    expect(overlap, 'a toast covers the header').toBe(false);
    await ops.locator('label', { hasText: 'Audit log' }).click();
    await ops.getByRole('heading', { name: 'Audit log' }).waitFor();
    await ops.getByText('Handoff accepted').first().waitFor();
    await check(ops, '11a-timeline-audit-log');

    // Operations starts delivery: Close is offered but waits, naming each required checkpoint,
    // as the API says; on a desktop and on a phone.
    await ops.goto(handoffUrl);
    await ops.setViewportSize({ width: 1440, height: 900 });
    await ops.getByRole('button', { name: 'Start delivery' }).click();
    const closeButton = ops.getByRole('button', { name: 'Close', exact: true });
    await expect.poll(() => closeButton.isDisabled()).toBe(true);
    const waitsFor = ops.getByRole('list', { name: 'What the close waits for' });
    await expect.poll(() => waitsFor.textContent()).toContain('complete it, or waive it with a reason');
    expect(await ops.getByRole('button', { name: 'Start delivery' }).count()).toBe(0);
    await check(ops, '11b-close-waits-desktop');
    await ops.setViewportSize({ width: 390, height: 844 });
    await waitsFor.waitFor();
    // Evaluated in the page (as text: this file is not typed for the DOM).
    const overflow = await ops.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow, 'the page is no wider than the phone').toBeLessThanOrEqual(0);
    await check(ops, '11c-close-waits-phone');
    await ops.setViewportSize({ width: 1280, height: 860 });
    // The sender is offered nothing on a handoff in delivery.
    await sales.goto(handoffUrl);
    await sales.getByText('In delivery', { exact: true }).first().waitFor();
    expect(await sales.getByRole('button', { name: 'Close', exact: true }).count()).toBe(0);
    expect(await sales.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);

    // The checkpoints are in plain sight: each with its due time, owner and state; one waived
    // with a reason through a dialog of the page.
    await ops.getByRole('tab', { name: 'Checkpoints' }).click();
    const checkpoints = ops.getByRole('table', { name: 'Checkpoints of this handoff' });
    await checkpoints.waitFor();
    expect(await checkpoints.locator('tbody tr').count()).toBeGreaterThan(1);
    expect(await checkpoints.textContent()).toMatch(/Done/);
    const pendingRow = checkpoints
      .locator('tbody tr', { has: ops.getByRole('button', { name: 'Waive…' }) })
      .first();
    const waivedName = (await pendingRow.locator('td').first().locator('p').first().textContent()) ?? '';
    await pendingRow.getByRole('button', { name: 'Waive…' }).click();
    const waiveDialog = ops.getByRole('dialog', { name: `Waive "${waivedName}"` });
    await waiveDialog
      .getByRole('textbox', { name: 'Why is it not needed?' })
      .fill('Held before the handoff.');
    await check(ops, '09c-checkpoint-waive-dialog', "document.querySelector('[role=dialog]')");
    await waiveDialog.getByRole('button', { name: 'Waive checkpoint' }).click();
    await checkpoints.getByText('Waived: Held before the handoff.').waitFor();
    await check(ops, '09d-checkpoints');
    // Across handoffs: the checkpoints the caller's teams owe, most urgent first.
    await ops.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Checkpoints' }).click();
    const mine = ops.getByRole('table', { name: 'My checkpoints' });
    await mine.waitFor();
    await expect.poll(() => mine.textContent()).toContain('30-day satisfaction rating');
    expect(await mine.textContent()).not.toContain('Held before the handoff');
    await check(ops, '09e-my-checkpoints');
    await ops.goto(handoffUrl);

    // Sales chooses which notices to get by e-mail, from the user menu.
    await sales.getByRole('button', { name: /Sam Seller/ }).click();
    await sales.getByRole('menuitem', { name: 'Settings' }).click();
    await sales.getByRole('heading', { name: 'Notifications' }).waitFor();
    const waiting = sales.getByRole('switch', { name: 'A packet waits for my team' });
    await expect.poll(() => waiting.isChecked()).toBe(true);
    await waiting.uncheck();
    await sales.getByRole('button', { name: 'Save notification settings' }).click();
    await sales.getByText('Your notification settings are saved.').waitFor();
    await check(sales, '14-settings-notifications');
    await sales.reload();
    await expect.poll(() => waiting.isChecked()).toBe(false);

    // Admin screens, at tablet width.
    const admin = await signIn('admin@demo.example');
    await admin.setViewportSize({ width: 820, height: 1100 });
    await admin.getByRole('link', { name: 'Playbooks' }).click();
    await admin.getByRole('link', { name: 'Professional services transfer packet' }).waitFor();
    await check(admin, '12-playbooks');
    await admin.getByRole('textbox', { name: 'Playbook YAML' }).fill('key: Bad Key\nversion: 0\nname: x\n');
    await admin.getByRole('button', { name: 'Validate' }).click();
    await admin.getByRole('table', { name: 'Playbook errors' }).waitFor();
    expect(await admin.getByRole('table', { name: 'Playbook errors' }).textContent()).toContain('/key');
    await admin.getByRole('link', { name: 'Admin' }).click();
    await admin.getByText('olive@demo.example').waitFor();
    await check(admin, '13-admin-users');
    // Your own password needs the current one; a wrong one is said beside its field.
    await admin
      .getByRole('row', { name: /admin@demo\.example/ })
      .getByRole('button', { name: 'Set password' })
      .click();
    const dialog = admin.getByRole('dialog', { name: /Set the password of admin@demo\.example/ });
    await dialog.getByLabel('Current password').fill('not my password');
    await dialog.getByLabel('New password').fill('a brand new secret');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await dialog.getByText('is wrong').waitFor();
    await admin.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // A token for reporting: read and records only.
    await admin.getByRole('tab', { name: 'API tokens' }).click();
    await admin.getByRole('textbox', { name: 'Token name' }).fill('Reporting');
    await admin.getByRole('checkbox', { name: /^Lifecycle/ }).uncheck();
    await admin.getByRole('checkbox', { name: /^Admin/ }).uncheck();
    await admin.getByRole('button', { name: 'Create token' }).click();
    await admin.getByText('Copy this token now: it is shown only once').waitFor();
    await admin
      .getByRole('row', { name: /Reporting/ })
      .getByText('read, records')
      .waitFor();
    await check(admin, '14-admin-tokens');

    // Signing out ends the session: the app goes back to sign-in.
    await admin.getByRole('button', { name: /Ada Admin/ }).click();
    await admin.getByRole('menuitem', { name: 'Sign out' }).click();
    await admin.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    const after = await admin.request.get(`${url}/api/v1/session`);
    expect(after.status()).toBe(401);

    expect(pageErrors).toEqual([]);
    expect(violations).toEqual([]);
  }, 120_000);
});
