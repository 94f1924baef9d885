import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/kernel/http/build-app.js';
import { axeViolations } from './axe-check.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { DESKTOP, PHONE, signInToDemo } from './demo-session.js';

/**
 * On a 390×844 phone the inbox shows each handoff as a card (title, state, next step, SLA and
 * teams all on screen), the table stays at 1440; and no list or table screen is wider than the
 * phone (wide tables scroll inside themselves). In headless Chromium against the real server.
 */
describe('screens on a phone in a real browser', () => {
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

  const signIn = (email: string) => signInToDemo(browser, url, email, { contexts, viewport: PHONE });

  /** Whether the element lies within the screen's width (not cut off, not scrolled away). */
  async function onScreen(page: Page, locator: ReturnType<Page['locator']>): Promise<boolean> {
    const box = await locator.boundingBox();
    const width = page.viewportSize()!.width;
    return box !== null && box.x >= 0 && box.x + box.width <= width;
  }

  it('shows the inbox as cards on a phone, with state, next step, SLA and teams on screen, and as a table at 1440', async () => {
    const ops = await signIn('olive@demo.example');
    const cards = ops.getByRole('list', { name: 'Handoffs' });
    const card = cards.getByRole('listitem').filter({ hasText: 'Month-end close automation' });
    await card.waitFor();
    for (const part of [
      card.getByRole('link', { name: /Month-end close automation/ }),
      card.getByText('Submitted', { exact: true }),
      card.getByText(/Next step:/),
      card.getByText(/Overdue|Due in/),
      card.getByText(/Sales → Operations/),
    ]) {
      await part.waitFor();
      expect(await onScreen(ops, part), (await part.textContent()) ?? '').toBe(true);
    }
    expect(await card.textContent()).toMatch(/Next step: (Review|Answer questions)/);
    expect(await ops.getByRole('table').count()).toBe(0);
    expect(await axeViolations(ops, 'phone-01-inbox-cards')).toEqual([]);

    await ops.setViewportSize(DESKTOP);
    const table = ops.getByRole('table');
    await table.getByRole('columnheader', { name: 'SLA' }).waitFor();
    expect(await cards.isVisible()).toBe(false);
    expect(await axeViolations(ops, 'phone-02-inbox-table-desktop')).toEqual([]);
  }, 60_000);

  it('keeps every list and table screen within the width of a phone', async () => {
    const wider: string[] = [];
    for (const email of ['olive@demo.example', 'admin@demo.example']) {
      const page = await signIn(email);
      const ids = (await page.evaluate(async () => {
        const get = async (path: string) =>
          (
            (await (await fetch(`/api/v1${path}`)).json()) as {
              items: { id: string; engagement_id: string }[];
            }
          ).items;
        const handoffs = await get('/handoffs?limit=20');
        return {
          handoffs: handoffs.map((h: { id: string }) => h.id),
          engagements: handoffs.map((h: { engagement_id: string }) => h.engagement_id),
          accounts: (await get('/accounts')).map((a: { id: string }) => a.id),
        };
      })) as { handoffs: string[]; engagements: string[]; accounts: string[] };
      const paths = [
        '/',
        '/checkpoints',
        '/accounts',
        ...ids.accounts.map((id) => `/accounts/${id}`),
        ...[...new Set(ids.engagements)].map((id) => `/engagements/${id}`),
        '/playbooks',
        '/playbooks/professional-services',
        '/admin',
        '/settings',
        ...ids.handoffs.map((id) => `/handoffs/${id}`),
      ];
      for (const path of paths) {
        await page.goto(`${url}${path}`);
        await page.locator('main').waitFor();
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(300);
        const overflow = (await page.evaluate(
          'document.documentElement.scrollWidth - window.innerWidth',
        )) as number;
        if (overflow > 0) wider.push(`${email} ${path}: ${overflow} px wider than the phone`);
      }
    }
    expect(wider).toEqual([]);
  }, 180_000);
});
