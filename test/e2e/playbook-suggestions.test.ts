import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import { openStore, type Store } from '../../src/kernel/db/dialect.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { insertReviewGaps } from '../support/review-gaps.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { axeAtBothSizes, demoApi, signInToDemo } from './demo-session.js';

const PS = 'professional-services';

/**
 * The playbook page's "Suggestions from 72-hour reviews", in headless Chromium against the real
 * server and the built UI: an admin reads the gap rates, drafts the next version from a
 * suggestion, reads the diff in a dialog and installs it; then writes a prompt for another and
 * installs that. Others see no such section. axe at 1440×900 and 390 px, page and dialog.
 */
describe('playbook suggestions in a real browser', () => {
  let app: Api;
  let url: string;
  let demo: DemoSeed;
  let store: Store;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    let databaseUrl: string;
    ({ app, url, seed: demo, databaseUrl } = await startDemoServer());
    browser = await launchChromium();
    // A submitted professional-services handoff of the demo and one of its checkpoints, for the facts to name.
    store = openStore(databaseUrl);
    const row = await store.db
      .selectFrom('checkpoints')
      .innerJoin('handoffs', 'handoffs.id', 'checkpoints.handoff_id')
      .select(['checkpoints.id', 'handoffs.id as handoff_id', 'handoffs.org_id', 'handoffs.created_by'])
      .where('handoffs.playbook_key', '=', PS)
      .executeTakeFirstOrThrow();
    const anchor = {
      orgId: row.org_id,
      senderUserId: row.created_by,
      handoff: row.handoff_id,
      checkpoint: row.id,
    };
    // Written before any request of this test: the facts' writer is this second connection.
    await insertReviewGaps(store, anchor, 'promises.promises', 5, 3); // 60%: make it required
    await insertReviewGaps(store, anchor, 'scope.in_scope', 6, 2); // 33%: add a prompt
    await insertReviewGaps(store, anchor, 'goal.success_metric', 7, 2); // 29%: nothing
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await store?.close();
    await app?.close();
  });

  async function openPlaybook(email: string): Promise<Page> {
    const page = await signInToDemo(browser, url, email, { contexts });
    page.on('pageerror', (e) => pageErrors.push(`${email}: ${e.message}`));
    await page.goto(`${url}/playbooks/${PS}`);
    await page.getByRole('heading', { name: 'Professional services transfer packet' }).waitFor();
    return page;
  }
  const dialogScope = "document.querySelector('[role=dialog]')";

  it('shows the gap rates, drafts version 2 with the diff, and installs it', async () => {
    const page = await openPlaybook('admin@demo.example');
    const section = page.getByRole('region', { name: 'Suggestions from 72-hour reviews' });
    await section.getByText('Promises made during the sales cycle').waitFor();
    const fields = section.getByTestId('reviewed-field');
    expect(await fields.count()).toBe(3);
    expect(await fields.nth(0).textContent()).toMatch(/60%.*3 of 5 reviews.*Make it required/);
    expect(await fields.nth(1).textContent()).toMatch(/33%.*2 of 6 reviews.*Add a prompt/);
    expect(await fields.nth(2).textContent()).toMatch(/29%.*2 of 7 reviews.*No suggestion/);
    expect(await axeAtBothSizes(page, 'suggestions-01-list')).toEqual([]);

    await page
      .getByRole('button', {
        name: 'Draft next version: make it required, Promises made during the sales cycle',
      })
      .click();
    const dialog = page.getByRole('dialog');
    const diff = dialog.getByRole('region', { name: 'Changes from version 1 to version 2' });
    await diff.waitFor();
    expect(await diff.locator('ins').allTextContents()).toEqual(['version: 2', '            required: true']);
    expect(await diff.locator('del').allTextContents()).toEqual(['version: 1']);
    expect(await axeAtBothSizes(page, 'suggestions-02-diff', dialogScope)).toEqual([]);

    await dialog.getByRole('button', { name: 'Install version 2' }).click();
    await page
      .getByRole('status')
      .getByText('Installed version 2 of playbook professional-services.')
      .waitFor();
    await page.getByText('v2', { exact: true }).waitFor();
    const latest = await demoApi(url, demo)('admin', 'GET', `/playbooks/${PS}`);
    const definition = latest.definition as {
      transitions: { sections: { fields: { required: boolean }[] }[] }[];
    };
    expect(definition.transitions[0]!.sections[3]!.fields[0]!.required).toBe(true);
    // Its reviews were of version 1: the field starts afresh.
    await page.waitForFunction("document.querySelectorAll('[data-testid=reviewed-field]').length === 2");
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('takes a prompt for "add a prompt", shows its line, and installs version 3', async () => {
    const page = await openPlaybook('admin@demo.example');
    await page.getByRole('button', { name: 'Draft next version: add a prompt, In-scope work' }).click();
    const dialog = page.getByRole('dialog');
    const prompt = dialog.getByRole('textbox', { name: 'Prompt' });
    await prompt.fill('Which deliverable will the client check off first?');
    await dialog.getByRole('button', { name: 'Show the draft' }).click();
    const diff = dialog.getByRole('region', { name: 'Changes from version 2 to version 3' });
    await diff.waitFor();
    expect(await diff.locator('ins').allTextContents()).toEqual([
      'version: 3',
      '            prompt: "Which deliverable will the client check off first?"',
    ]);
    expect(await axeAtBothSizes(page, 'suggestions-03-prompt', dialogScope)).toEqual([]);
    await dialog.getByRole('button', { name: 'Install version 3' }).click();
    await page
      .getByRole('status')
      .getByText('Installed version 3 of playbook professional-services.')
      .waitFor();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('shows the section to admins only', async () => {
    for (const email of ['olive@demo.example', 'vera@demo.example']) {
      const page = await openPlaybook(email);
      await page.getByRole('heading', { name: 'Written transfer packet' }).waitFor();
      expect(await page.getByRole('region', { name: 'Suggestions from 72-hour reviews' }).count()).toBe(0);
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
