import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { EXAMPLE_PACKETS } from '../support/example-packets.js';
import { axeViolations } from './axe-check.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';

const SIZES = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

/**
 * The notification centre (issue 12): what Baton e-mails, the bell in the header lists. In real
 * Chromium against the demo server: Sam submits a packet, Olive's bell counts it at the next
 * poll, she opens the panel, clicks through to the handoff, and the count drops; on a phone she
 * marks everything read. axe-core finds nothing on the open panel at either size.
 */
describe('the notification centre in a real browser', () => {
  let app: Api;
  let url: string;
  let seed: DemoSeed;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ({ app, url, seed } = await startDemoServer());
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  async function signIn(email: string, size: keyof typeof SIZES, fakeTimers = false): Promise<Page> {
    // Less motion: the panel opens without its slide, so axe and the pictures see it open.
    const context = await browser.newContext({ viewport: SIZES[size], reducedMotion: 'reduce' });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    // The page's timers are the test's to move: the bell's 30-second poll runs on demand.
    if (fakeTimers) await page.clock.install();
    await page.goto(url);
    await page.getByLabel('E-mail').fill(email);
    await page.locator('input[type=password]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    return page;
  }

  /** Sam, through the API with his token, opens a ready packet on a new engagement and submits it. */
  async function samSubmits(title: string): Promise<string> {
    const token = seed.users.find((u) => u.email === 'sam@demo.example')!.token;
    const send = async (path: string, body?: unknown) => {
      const res = await fetch(`${url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
      const json = (await res.json()) as { id: string };
      expect(res.status, JSON.stringify(json)).toBeLessThan(300);
      return json;
    };
    const account = await send('/accounts', { name: 'Tidewater Foods' });
    const engagement = await send('/engagements', { account_id: account.id, name: title });
    const handoff = await send('/handoffs', {
      engagement_id: engagement.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      title,
      packet: EXAMPLE_PACKETS['professional-services']!['sales-to-delivery'],
    });
    await send(`/handoffs/${handoff.id}/submit`);
    return handoff.id;
  }

  /** Lets the panel's opening end (instant with less motion; the faked timers must run), for axe and the picture. */
  const settle = async (page: Page, fakeTimers = false) => {
    if (fakeTimers) await page.clock.runFor(500);
    await page.waitForTimeout(200);
  };

  const bell = (page: Page, name: string | RegExp) => page.getByRole('banner').getByRole('button', { name });

  it('counts a packet submitted to my team, opens it from the panel, and counts one fewer (1440×900)', async () => {
    const olive = await signIn('olive@demo.example', 'desktop', true);
    // The demo's own packet waits for Olive's team.
    await bell(olive, 'Notifications, 1 unread').waitFor();
    const id = await samSubmits('Tidewater payroll bridge');
    // Nothing reloads: the bell's next poll brings the news.
    await olive.clock.fastForward(31_000);
    await bell(olive, 'Notifications, 2 unread').waitFor();
    await bell(olive, /Notifications/).click();
    const panel = olive.getByRole('dialog', { name: 'Notifications' });
    const notice = panel.getByRole('link', { name: /To review: Tidewater payroll bridge/ });
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('Unread');
    await expect(notice.textContent()).resolves.toContain('Sam Seller (Sales) submitted');
    await settle(olive, true);
    expect(await axeViolations(olive, 'notification-centre-desktop')).toEqual([]);
    await notice.click();
    await olive.waitForURL(`${url}/handoffs/${id}`);
    await olive.getByRole('tab', { name: 'Packet' }).waitFor();
    await bell(olive, 'Notifications, 1 unread').waitFor();
    await olive.clock.runFor(500);
    await panel.waitFor({ state: 'hidden' });
  });

  it('marks every notice read on a phone (390×844)', async () => {
    const olive = await signIn('olive@demo.example', 'phone');
    await bell(olive, 'Notifications, 1 unread').click();
    const panel = olive.getByRole('dialog', { name: 'Notifications' });
    await panel
      .getByRole('link', { name: /To review:/ })
      .first()
      .waitFor();
    expect(await axeViolations(olive, 'notification-centre-phone')).toEqual([]);
    await panel.getByRole('button', { name: 'Mark all as read' }).click();
    await bell(olive, 'Notifications, none unread').waitFor();
    await panel.getByText('Nothing unread').waitFor();
    expect(await panel.getByText('Unread', { exact: true }).count()).toBe(0);
  });
});
