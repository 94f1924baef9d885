import { createHmac } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type DemoSeed } from '../../src/demo/seed-demo.js';
import { openStore, type Store } from '../../src/kernel/db/dialect.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { loadKeyring } from '../../src/vault/keyring.js';
import { addEmailSource } from '../support/email-sources.js';
import { axeViolations } from './axe-check.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';

const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/**
 * The admins' list of inquiries (issue 14, post-closeout routing): two e-mails reach the demo
 * server's inbound endpoint over HTTP, one read and not routed, one with a forged signature; the
 * admin opens Administration → Inquiries in real Chromium at both sizes, sees each with why, and
 * axe-core finds nothing.
 */
describe('the inquiries list in a real browser', () => {
  let app: Api;
  let url: string;
  let seed: DemoSeed;
  let store: Store;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    let databaseUrl: string;
    ({ app, url, seed, databaseUrl } = await startDemoServer());
    browser = await launchChromium();
    store = openStore(databaseUrl);
    const org = await store.db
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', seed.organisation.slug)
      .executeTakeFirstOrThrow();
    const keyring = loadKeyring(join(dirname(databaseUrl), 'vault-keys'), {});
    const key = 'key-demo-signing';
    const source = await addEmailSource(store, keyring, {
      orgId: org.id,
      kind: 'mailgun',
      secret: key,
      at: new Date(),
    });
    const post = async (fields: Record<string, string>) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.set(name, value);
      return fetch(`${url}/api/v1/inbound/inquiry/${source}`, { method: 'POST', body: form });
    };
    const signed = (signingKey: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const token = `t${Math.random()}`;
      return {
        timestamp,
        token,
        signature: createHmac('sha256', signingKey)
          .update(timestamp + token)
          .digest('hex'),
      };
    };
    const read = await post({
      from: 'Pat Prospect <pat@prospect.example>',
      recipient: 'inbox@demo.example',
      subject: 'Pricing question',
      'stripped-text': 'Hello, what would a second site cost?',
      'Message-Id': '<e2e-1@prospect.example>',
      ...signed(key),
    });
    expect(read.status).toBe(200);
    const forged = await post({ from: 'x@y.example', recipient: 'inbox@demo.example', ...signed('guess') });
    expect(forged.status).toBe(401);
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  for (const size of SIZES) {
    it(`shows the admin every inquiry and why it was not routed (${size.name})`, async () => {
      const context = await browser.newContext({
        viewport: { width: size.width, height: size.height },
        reducedMotion: 'reduce',
      });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(url);
      await page.getByLabel('E-mail').fill('admin@demo.example');
      await page.locator('input[type=password]').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Inbox' }).waitFor();
      await page.goto(`${url}/admin`);
      await page.getByRole('tab', { name: 'Inquiries' }).click();
      const table = page.getByRole('table');
      await table.getByText('Pricing question').waitFor();
      await expect(
        table.getByText('No recipient is the implementation lead of an engagement.').count(),
      ).resolves.toBe(1);
      await expect(table.getByText('Not routed').count()).resolves.toBe(1);
      await expect(
        table.getByText("/signature: does not verify with the source's signing key").count(),
      ).resolves.toBe(1);
      await expect(table.getByText('Refused').count()).resolves.toBe(1);
      expect(await axeViolations(page, `inquiries-${size.name}`)).toEqual([]);
    }, 60_000);
  }
});
