import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { SECRET_PLAYBOOK } from '../support/secret-playbook.js';
import { axeViolations } from './axe-check.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { DESKTOP, demoApi, PHONE, signInToDemo } from './demo-session.js';

const SIZES = [
  { name: 'desktop', ...DESKTOP },
  { name: 'phone', ...PHONE },
] as const;

/**
 * The engagement's credential vault in real Chromium, at 1440x900 and on a 390 px phone: operations
 * adds a credential, sees it masked, reveals it for a reason (once, with a copy button), and the
 * reveal is in the audit log; sales sees it masked with no Reveal; a viewer can neither add nor
 * reveal. axe-core runs on the section and on each dialog.
 */
describe('the credential vault in the closeout tab', () => {
  let app: Api;
  let url: string;
  let seed: DemoSeed;
  let browser: Browser;
  let engagementId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ({ app, url, seed } = await startDemoServer());
    browser = await launchChromium();
    const engagements = await demoApi(url, seed)('sales', 'GET', '/engagements');
    engagementId = engagements.items![0]!.id as string;
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });

  const openVault = async (email: string, size: (typeof SIZES)[number]): Promise<Page> => {
    const page = await signInToDemo(browser, url, email, { contexts, viewport: size });
    await page.goto(`${url}/engagements/${engagementId}?tab=closeout`);
    await page.getByRole('heading', { name: 'Credentials' }).waitFor();
    await page.waitForLoadState('networkidle');
    return page;
  };

  it('shows a packet secret masked on the handoff, and lists it in the vault', async () => {
    const api = demoApi(url, seed);
    await api('admin', 'POST', '/playbooks', { source: SECRET_PLAYBOOK });
    const engagement = await api('sales', 'POST', '/engagements', {
      account_id: (await api('sales', 'GET', '/accounts')).items![0]!.id,
      name: 'Controller swap',
    });
    const secret = 'packet-e2e-Secret!7';
    const handoff = await api('sales', 'POST', '/handoffs', {
      engagement_id: engagement.id,
      playbook: 'site-access',
      transition: 'sales-to-ops',
      packet: { basics: { goal: 'Swap the controller' }, access: { admin_password: secret } },
    });
    const page = await signInToDemo(browser, url, 'olive@demo.example', { contexts });
    await page.goto(`${url}/handoffs/${handoff.id}`);
    await page.getByText('Swap the controller').first().waitFor();
    await page.getByText('•••••••• kept in the vault').first().waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.goto(`${url}/engagements/${engagement.id}?tab=closeout`);
    const row = page.getByRole('row').filter({ hasText: 'Controller admin password' });
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await axeViolations(page, 'vault-from-packet-desktop')).toEqual([]);

    // Sales types a new secret in the packet editor: saved to the vault, never kept on the device.
    const replaced = 'packet-e2e-Replaced!8';
    const sales = await signInToDemo(browser, url, 'sam@demo.example', { contexts });
    await sales.goto(`${url}/handoffs/${handoff.id}`);
    const input = sales.getByLabel('Controller admin password');
    await input.waitFor();
    expect(await input.getAttribute('type')).toBe('password');
    expect(await input.getAttribute('placeholder')).toContain('kept in the vault');
    await input.fill(replaced);
    await sales.getByText('Saved', { exact: true }).waitFor();
    await sales.waitForFunction(`localStorage.getItem('baton:unsaved-packet:${handoff.id}') === null`);
    expect(await input.inputValue()).toBe('');
    expect(await sales.evaluate('JSON.stringify({ ...localStorage })')).not.toContain(replaced);
    // A further edit does not send the secret again, nor lose its reference.
    const ref = (handoff.packet as { access: { admin_password: { vault: string } } }).access.admin_password;
    const entry = `/engagements/${engagement.id}/vault/${ref.vault}`;
    const changed = (await api('sales', 'GET', entry)).secret_updated_at;
    await sales.getByLabel('Goal').fill('Swap the controller and the reader');
    await sales.getByText('Saved', { exact: true }).waitFor();
    await sales.waitForLoadState('networkidle');
    expect((await api('sales', 'GET', entry)).secret_updated_at).toBe(changed);
    const stored = await api('sales', 'GET', `/handoffs/${handoff.id}`);
    expect((stored.packet as { basics: { goal: string } }).basics.goal).toBe(
      'Swap the controller and the reader',
    );
    expect((stored.packet as { access: { admin_password: unknown } }).access.admin_password).toEqual(ref);
    const revealed = await api(
      'operations',
      'POST',
      `/engagements/${engagement.id}/vault/${ref.vault}/reveal`,
      {
        reason: 'Check the editor',
      },
    );
    expect(revealed.secret).toBe(replaced);
  });

  for (const size of SIZES) {
    const system = `Building controller (${size.name})`;
    const secret = `e2e-${size.name}-Secret!42`;

    it(`operations adds a credential, sees it masked, and reveals it for a reason (${size.name})`, async () => {
      const page = await openVault('olive@demo.example', size);
      await page.getByRole('button', { name: 'Add credential' }).click();
      const add = page.getByRole('dialog', { name: 'Add a credential' });
      await add.getByLabel('System').fill(system);
      await add.getByLabel('Username').fill('admin');
      await add.getByLabel('Secret', { exact: false }).first().fill(secret);
      expect(
        await axeViolations(page, `vault-add-${size.name}`, {
          scope: "document.querySelector('[role=dialog]')",
        }),
      ).toEqual([]);
      await add.getByRole('button', { name: 'Add credential' }).click();
      await add.waitFor({ state: 'detached' });
      const row = page.getByRole('row').filter({ hasText: system });
      await row.waitFor();
      expect(await row.textContent()).toContain('••••••••');
      expect(await page.content()).not.toContain(secret);
      expect(await axeViolations(page, `vault-list-${size.name}`)).toEqual([]);

      await row.getByRole('button', { name: `Reveal the secret of ${system}` }).click();
      const reveal = page.getByRole('dialog', { name: `Reveal the secret of ${system}` });
      const submit = reveal.getByRole('button', { name: 'Reveal secret' });
      expect(await submit.isDisabled()).toBe(true);
      await reveal.getByLabel('Why do you need it?').fill('Commissioning the controller');
      expect(
        await axeViolations(page, `vault-reveal-ask-${size.name}`, {
          scope: "document.querySelector('[role=dialog]')",
        }),
      ).toEqual([]);
      await submit.click();
      const shown = reveal.getByRole('textbox', { name: /Secret of/ });
      await shown.waitFor();
      expect(await shown.inputValue()).toBe(secret);
      await reveal.getByRole('button', { name: 'Copy' }).waitFor();
      expect(
        await axeViolations(page, `vault-revealed-${size.name}`, {
          scope: "document.querySelector('[role=dialog]')",
        }),
      ).toEqual([]);
      await reveal.getByRole('button', { name: 'Done' }).click();
      await reveal.waitFor({ state: 'detached' });
      expect(await page.content()).not.toContain(secret);

      // The reveal is in the audit log, with who and why, and never the value.
      const api = demoApi(url, seed);
      let entries: Record<string, unknown>[] = [];
      for (let i = 0; i < 50 && entries.length === 0; i++) {
        const log = await api('admin', 'GET', `/audit?engagement_id=${engagementId}&limit=1000`);
        entries = (log.items ?? []).filter(
          (e) => e.action === 'vault.revealed' && JSON.stringify(e).includes(system),
        );
        if (entries.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(entries).toHaveLength(1);
      expect(JSON.stringify(entries[0])).toContain('Commissioning the controller');
      expect(JSON.stringify(entries[0])).not.toContain(secret);
    });

    it(`sales sees the credential masked and no Reveal; a viewer neither adds nor reveals (${size.name})`, async () => {
      const sales = await openVault('sam@demo.example', size);
      const row = sales.getByRole('row').filter({ hasText: system });
      await row.waitFor();
      expect(await row.textContent()).toContain('••••••••');
      expect(await sales.getByRole('button', { name: /^Reveal/ }).count()).toBe(0);
      expect(await sales.getByRole('button', { name: 'Add credential' }).count()).toBe(1);
      const viewer = await openVault('vera@demo.example', size);
      await viewer.getByRole('row').filter({ hasText: system }).waitFor();
      expect(await viewer.getByRole('button', { name: /^Reveal/ }).count()).toBe(0);
      expect(await viewer.getByRole('button', { name: 'Add credential' }).count()).toBe(0);
      expect(await viewer.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
      expect(await axeViolations(viewer, `vault-viewer-${size.name}`)).toEqual([]);
    });
  }
});
