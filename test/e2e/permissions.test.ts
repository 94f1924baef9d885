import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { axeViolations } from './axe-check.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';

const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/**
 * The UI offers only what the server would take (issue 12, item 6): each role of the demo
 * organisation signs in, in real Chromium at both sizes, and sees the controls its capabilities
 * allow and no others. axe-core runs on every screen shown.
 */
describe('the web UI shows each role only what it may do', () => {
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

  async function signIn(email: string, size: (typeof SIZES)[number]): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByLabel('E-mail').fill(email);
    await page.locator('input[type=password]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    // The inbox's data arrives after its heading: wait for it, so what is absent stays absent.
    await page.waitForLoadState('networkidle');
    return page;
  }

  /** Every axe-core violation on the page, whatever its impact, with a screenshot for the report. */
  function violations(page: Page, name: string): Promise<string[]> {
    return axeViolations(page, `permissions-${name}`);
  }

  /** The form controls and buttons inside the page's main landmark (the header's are not counted). */
  function liveControls(page: Page) {
    return page.locator('main').locator('input, select, textarea, button, [role=tab]');
  }

  const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

  for (const size of SIZES) {
    it(`operations sees no Admin entry, and /admin offers no controls (${size.name})`, async () => {
      const page = await signIn('olive@demo.example', size);
      expect(await nav(page).getByText('Playbooks').count()).toBe(1);
      expect(await nav(page).getByText('Admin', { exact: true }).count()).toBe(0);
      await page.goto(`${url}/admin`);
      await page.getByRole('heading', { name: 'Administration' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getByRole('button', { name: 'Invite' }).count()).toBe(0);
      expect(await liveControls(page).count()).toBe(0);
      await page.getByText('may not manage users, teams or API tokens').waitFor();
      expect(await violations(page, `admin-refused-${size.name}`)).toEqual([]);
      // Operations acts on handoffs: its "New handoff" stays.
      await page.goto(url);
      await page.getByRole('button', { name: 'New handoff' }).waitFor();
    });

    it(`a viewer sees no "New handoff" and no playbook upload (${size.name})`, async () => {
      const page = await signIn('vera@demo.example', size);
      expect(await page.getByRole('button', { name: 'New handoff' }).count()).toBe(0);
      expect(await violations(page, `inbox-viewer-${size.name}`)).toEqual([]);
      await nav(page).getByText('Playbooks').click();
      await page.getByRole('heading', { name: 'Playbooks', level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getByRole('heading', { name: 'Upload a playbook' }).count()).toBe(0);
      expect(await violations(page, `playbooks-viewer-${size.name}`)).toEqual([]);
      // A handoff's records (promises, scope, contacts) are read-only to a viewer.
      const id = (await page.evaluate(
        "fetch('/api/v1/handoffs').then((r) => r.json()).then((b) => b.items[0].id)",
      )) as string;
      await page.goto(`${url}/handoffs/${id}`);
      await page.getByRole('tab', { name: /Records/ }).click();
      await page.waitForLoadState('networkidle');
      expect(
        await page
          .locator('main')
          .getByRole('button', { name: /^(Add|Record|Save)/ })
          .count(),
      ).toBe(0);
      expect(await violations(page, `handoff-records-viewer-${size.name}`)).toEqual([]);
    });

    it(`an admin still sees the Admin entry, its controls and "New handoff" (${size.name})`, async () => {
      const page = await signIn('admin@demo.example', size);
      await page.getByRole('button', { name: 'New handoff' }).waitFor();
      await nav(page).getByText('Admin', { exact: true }).click();
      await page.getByRole('heading', { name: 'Administration' }).waitFor();
      await page.getByRole('button', { name: 'Invite' }).waitFor();
      expect(await page.getByText('may not manage users').count()).toBe(0);
      expect(await violations(page, `admin-${size.name}`)).toEqual([]);
      await page.goto(`${url}/playbooks`);
      await page.getByRole('heading', { name: 'Upload a playbook' }).waitFor();
    });
  }
});
