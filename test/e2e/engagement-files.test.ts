import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { CLOSEOUT_FILES_PLAYBOOK } from '../support/closeout-playbook.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { axeAtBothSizes, demoApi, PHONE, signInToDemo } from './demo-session.js';

/** A real 1×1 PNG, so the preview has something to draw. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/**
 * The closeout's files in headless Chromium against the real server and the built UI: operations
 * uploads an as-built drawing, then a new version of it, sees the preview, and downloads the old
 * version byte for byte; a viewer sees the files but no upload control. axe at desktop and phone.
 */
describe('engagement files in a real browser', () => {
  let app: Api;
  let url: string;
  let demo: DemoSeed;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, url, seed: demo } = await startDemoServer());
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  async function checkBothSizes(page: Page, name: string): Promise<void> {
    violations.push(...(await axeAtBothSizes(page, name)));
  }

  it('uploads a drawing and a new version, previews it, and downloads the old version', async () => {
    const engagements = await demoApi(url, demo)('sales', 'GET', '/engagements');
    const engagement = engagements.items![0]!;
    const ops = await signInToDemo(browser, url, 'olive@demo.example', { contexts });
    ops.on('pageerror', (e) => pageErrors.push(e.message));
    await ops.goto(`${url}/engagements/${engagement.id}?tab=closeout`);
    await ops.getByRole('heading', { name: 'Files' }).waitFor();
    await ops.getByText('No file yet').waitFor();
    await checkBothSizes(ops, 'files-01-empty');

    const form = ops.getByRole('form', { name: 'Upload a file' });
    await form.getByRole('textbox', { name: 'Name' }).fill('As-built floor 2');
    await form
      .locator('input[type=file]')
      .setInputFiles({ name: 'floor-2.png', mimeType: 'image/png', buffer: PNG });
    await form.getByRole('button', { name: 'Upload' }).click();
    const card = ops.getByRole('article', { name: 'As-built floor 2' });
    const preview = card.getByRole('img', { name: 'Preview of As-built floor 2, version 1' });
    await preview.waitFor();
    await expect
      .poll(() => preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(1);

    // The same file again, as a PDF: version 2, shown embedded (or linked where the browser shows no PDF).
    await card
      .locator('input[type=file]')
      .setInputFiles({ name: 'floor-2.pdf', mimeType: 'application/pdf', buffer: PDF });
    await card.getByRole('button', { name: 'Upload version 2' }).click();
    await card.getByRole('link', { name: 'Download version 2 of As-built floor 2' }).waitFor();
    await card.locator('object[type="application/pdf"]').waitFor({ state: 'attached' });
    expect(await card.locator('object').getAttribute('aria-label')).toBe(
      'Preview of As-built floor 2, version 2',
    );
    await checkBothSizes(ops, 'files-02-two-versions');

    const [download] = await Promise.all([
      ops.waitForEvent('download'),
      card.getByRole('link', { name: 'Download version 1 of As-built floor 2' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('As-built floor 2.png');
    expect(readFileSync((await download.path())!).equals(PNG)).toBe(true);

    // A viewer reads the files and the previews, and is offered no upload.
    const viewer = await signInToDemo(browser, url, 'vera@demo.example', { contexts, viewport: PHONE });
    viewer.on('pageerror', (e) => pageErrors.push(e.message));
    await viewer.goto(`${url}/engagements/${engagement.id}?tab=closeout`);
    const seen = viewer.getByRole('article', { name: 'As-built floor 2' });
    await seen.getByRole('link', { name: 'Download version 1 of As-built floor 2' }).waitFor();
    expect(await viewer.getByRole('form', { name: 'Upload a file' }).count()).toBe(0);
    expect(await seen.locator('input[type=file]').count()).toBe(0);
    await checkBothSizes(viewer, 'files-03-viewer');

    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('lets the sender pick a file for a file field, and shows the receiver its name, version and link', async () => {
    const as = demoApi(url, demo);
    await as('admin', 'POST', '/playbooks', { source: CLOSEOUT_FILES_PLAYBOOK });
    const accounts = await as('sales', 'GET', '/accounts');
    const engagement = await as('sales', 'POST', '/engagements', {
      account_id: accounts.items![0]!.id,
      name: 'Clinic fit-out closeout',
    });
    const token = demo.users.find((u) => u.role === 'operations')!.token;
    const uploaded = await fetch(
      `${url}/api/v1/engagements/${engagement.id}/files?name=As-built%20floor%201&tag=as_built`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
        body: PDF,
      },
    );
    expect(uploaded.status).toBe(201);
    const handoff = await as('operations', 'POST', '/handoffs', {
      engagement_id: engagement.id,
      playbook: 'closeout-files',
      transition: 'delivery-to-service',
    });

    const ops = await signInToDemo(browser, url, 'olive@demo.example', { contexts });
    ops.on('pageerror', (e) => pageErrors.push(e.message));
    await ops.goto(`${url}/handoffs/${handoff.id}`);
    await ops.getByLabel('As-built drawings').first().click();
    await ops.getByRole('option', { name: 'As-built floor 1, version 1' }).click();
    await ops.getByText('Saved', { exact: true }).waitFor();
    await checkBothSizes(ops, 'files-04-file-field');
    await as('operations', 'POST', `/handoffs/${handoff.id}/submit`);

    const service = await signInToDemo(browser, url, 'sid@demo.example', { contexts, viewport: PHONE });
    service.on('pageerror', (e) => pageErrors.push(e.message));
    await service.goto(`${url}/handoffs/${handoff.id}`);
    await service.getByText('As-built floor 1, version 1', { exact: false }).first().waitFor();
    const link = service.getByRole('link', { name: 'Download As-built floor 1, version 1' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/\/versions\/1\/content$/);
    await checkBothSizes(service, 'files-05-file-value');

    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
