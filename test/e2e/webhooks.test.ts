import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { waitFor } from '../support/cluster.js';
import { startVerifyingReceiver, type VerifyingReceiver } from '../support/webhook-receiver.js';
import { axeViolations } from './axe-check.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { DESKTOP, demoApi, PHONE, signInToDemo } from './demo-session.js';

const SIZES = [
  { name: 'desktop', ...DESKTOP },
  { name: 'phone', ...PHONE },
] as const;

/**
 * The Webhooks tab of the admin page in real Chromium, at 1440x900 and on a 390 px phone, against
 * the real server with its scheduler on and a local receiver verifying with `standardwebhooks`
 * (loopback allowed by the operator, as an on-premise installation would): an admin adds an
 * endpoint (the secret shown once), sends a test ping, watches it arrive in the delivery log with
 * its attempt, replays it, narrows its events, rotates the secret and disables it. axe-core runs
 * on the tab and its dialogs.
 */
describe('the Webhooks tab of the admin page', () => {
  let app: Api;
  let url: string;
  let seed: DemoSeed;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const receivers: VerifyingReceiver[] = [];
  const before = process.env.BATON_OUTBOUND_ALLOW;

  beforeAll(async () => {
    process.env.BATON_OUTBOUND_ALLOW = '127.0.0.1';
    ({ app, url, seed } = await startDemoServer());
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    if (before === undefined) delete process.env.BATON_OUTBOUND_ALLOW;
    else process.env.BATON_OUTBOUND_ALLOW = before;
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
    for (const r of receivers) await r.close();
  });

  const openTab = async (size: (typeof SIZES)[number]): Promise<Page> => {
    const page = await signInToDemo(browser, url, 'admin@demo.example', { contexts, viewport: size });
    await page.goto(`${url}/admin`);
    await page.getByRole('tab', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Add an endpoint' }).waitFor();
    await page.waitForLoadState('networkidle');
    return page;
  };

  for (const size of SIZES) {
    it(`an admin adds an endpoint, tests it, reads the log, replays, and manages it (${size.name})`, async () => {
      const receiver = await startVerifyingReceiver();
      receivers.push(receiver);
      const description = `Project tool (${size.name})`;
      const page = await openTab(size);
      expect(await axeViolations(page, `webhooks-tab-${size.name}`)).toEqual([]);

      await page.getByLabel('URL').fill(receiver.url);
      await page.getByLabel('Description').fill(description);
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = page.getByTestId('webhook-secret');
      await secret.waitFor();
      receiver.state.secret = ((await secret.textContent()) ?? '').trim();
      expect(receiver.state.secret).toMatch(/^whsec_/);
      const row = page.getByRole('row').filter({ hasText: description });
      await row.waitFor();
      expect(await row.textContent()).toContain('Every event');
      expect(await axeViolations(page, `webhooks-added-${size.name}`)).toEqual([]);
      // Shown once: gone when hidden, and in no answer after.
      await page.getByRole('button', { name: 'Hide the secret' }).click();
      await page.reload();
      await page.getByRole('tab', { name: 'Webhooks' }).click();
      await row.waitFor();
      expect(await page.content()).not.toContain(receiver.state.secret);

      await row.getByRole('button', { name: `Send test to ${description}` }).click();
      await waitFor('the ping to arrive', () => receiver.accepted().length === 1, 15_000);
      expect(receiver.received[0]!.refused).toBeNull();
      expect(JSON.parse(receiver.received[0]!.body).type).toBe('ping');
      const log = page.getByRole('heading', { name: `Deliveries to ${description}` });
      await log.waitFor();
      const delivery = page.getByText(receiver.received[0]!.id);
      await delivery.waitFor();
      await page.getByText('delivered', { exact: true }).first().waitFor({ timeout: 15_000 });
      await page.getByRole('cell', { name: '200', exact: true }).first().waitFor();
      expect(await axeViolations(page, `webhooks-log-${size.name}`)).toEqual([]);

      await page.getByRole('button', { name: `Replay ping ${receiver.received[0]!.id}` }).click();
      await waitFor('the replay to arrive', () => receiver.accepted().length === 2, 15_000);
      expect(receiver.received[1]!.id).toBe(receiver.received[0]!.id);

      // Narrow its events.
      await row.getByRole('button', { name: `Edit events of ${description}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Events this endpoint receives' });
      await dialog.waitFor();
      expect(
        await axeViolations(page, `webhooks-events-${size.name}`, {
          scope: "document.querySelector('[role=dialog]')",
        }),
      ).toEqual([]);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });

      // Rotate: a new secret, shown once, and the previous one still signs for a day.
      await row.getByRole('button', { name: `Rotate secret of ${description}` }).click();
      const confirm = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
      await confirm.getByRole('button', { name: 'Rotate secret' }).click();
      await secret.waitFor();
      const rotated = ((await secret.textContent()) ?? '').trim();
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(receiver.state.secret);
      await row.getByText('Previous secret signs until').waitFor();

      // Disable: the tab says so, and the test button is off.
      await row.getByRole('button', { name: `Disable ${description}` }).click();
      await row.getByText('Disabled', { exact: true }).waitFor();
      expect(await row.getByRole('button', { name: `Send test to ${description}` }).isDisabled()).toBe(true);
      expect(await axeViolations(page, `webhooks-disabled-${size.name}`)).toEqual([]);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, 'the page is no wider than the window').toBeLessThanOrEqual(0);
    });
  }

  it('lists endpoints to the API without a secret', async () => {
    const listed = await demoApi(url, seed)('viewer', 'GET', '/webhook-endpoints');
    expect(JSON.stringify(listed)).not.toMatch(/whsec_/);
    expect(listed.items!.length).toBe(2);
  });
});
