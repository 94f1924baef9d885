import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed-demo.js';
import { openStore, type Store } from '../../src/kernel/db/dialect.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { axeViolations } from './axe-check.js';
import { launchChromium } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { DESKTOP, demoApi, PHONE, signInToDemo } from './demo-session.js';

/**
 * The client portal in headless Chromium against the real server: a contact, without an account,
 * confirms with a difference (a question appears for the team), signs off and answers the survey;
 * an expired link and another engagement's link show the one clear page and no data; axe on a
 * 390 px phone and at 1440.
 */
describe('the client portal in a real browser', () => {
  let app: Api;
  let url: string;
  let seed: DemoSeed;
  let store: Store;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let api: ReturnType<typeof demoApi>;
  let engagement: { id: string; name: string; account_id: string };
  let handoffId: string;
  let contactId: string;

  beforeAll(async () => {
    let databaseUrl: string;
    ({ app, url, seed, databaseUrl } = await startDemoServer());
    store = openStore(databaseUrl);
    browser = await launchChromium();
    api = demoApi(url, seed);
    const handoffs = (await api('operations', 'GET', '/handoffs?state=submitted&limit=20')).items!;
    handoffId = handoffs[0]!.id as string;
    const engagementId = handoffs[0]!.engagement_id as string;
    engagement = (await api('operations', 'GET', `/engagements/${engagementId}`)) as never;
    const contact = await api('sales', 'POST', '/contacts', {
      account_id: engagement.account_id,
      name: 'Casey Client',
      email: 'casey.client@client.example',
      role: 'sponsor',
    });
    contactId = contact.id as string;
    const sid = (await api('service', 'GET', '/me')).user as { id: string };
    await api('sales', 'PATCH', `/engagements/${engagementId}`, { owner_id: sid.id });
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await store?.close();
    await app?.close();
  });

  /** A fresh browser with no session, as the client's own: the link is all it has. */
  const asClient = async (viewport = PHONE): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  };

  const linkFor = async (engagementId: string, contact: string, purpose: string, extra = {}) => {
    const made = await api('operations', 'POST', `/engagements/${engagementId}/portal-links`, {
      contact_id: contact,
      purpose,
      ...extra,
    });
    return { url: made.url as string, id: (made.link as { id: string }).id };
  };

  /** No horizontal scrolling: the page fits the phone. */
  const fitsWidth = (page: Page) =>
    page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1') as Promise<boolean>;

  it('confirms with a difference from a phone, and the team sees the question', async () => {
    const ops = await signInToDemo(browser, url, 'olive@demo.example', { contexts });
    await ops.goto(`${url}/engagements/${engagement.id}?tab=closeout`);
    const section = ops.getByRole('region', { name: 'Client portal' });
    await section.getByRole('heading', { name: 'Client portal' }).waitFor();
    await section.getByLabel('Contact', { exact: true }).click();
    await ops.getByRole('option', { name: /Casey Client/ }).click();
    await section.getByRole('button', { name: 'Send link' }).click();
    const link = (await section.getByTestId('portal-url').textContent())!;
    expect(link).toMatch(/\/p\/[A-Za-z0-9_-]{43}$/);
    await section.getByRole('table', { name: 'Portal links' }).getByText('active').waitFor();
    expect(await axeViolations(ops, 'portal-01-team-section-desktop')).toEqual([]);
    await ops.setViewportSize(PHONE);
    expect(await fitsWidth(ops)).toBe(true);
    expect(await axeViolations(ops, 'portal-01b-team-section-phone')).toEqual([]);
    await ops.setViewportSize(DESKTOP);

    const client = await asClient(PHONE);
    await client.goto(link.replace(/^https?:\/\/[^/]+/, url));
    await client.getByRole('heading', { level: 1, name: engagement.name }).waitFor();
    await client.getByRole('heading', { name: 'Your contact from now on' }).waitFor();
    await client.getByText('Sid Service').waitFor();
    expect(await fitsWidth(client)).toBe(true);
    expect(await axeViolations(client, 'portal-02-confirm-phone')).toEqual([]);
    await client.getByRole('radio', { name: 'Something differs' }).check();
    await client
      .getByRole('textbox', { name: 'Difference 1: what do you expect instead?' })
      .fill('We expect the payroll export to move as well.');
    expect(await axeViolations(client, 'portal-03-confirm-difference-phone')).toEqual([]);
    await client.getByRole('button', { name: 'Send my answer' }).click();
    await client
      .getByRole('status')
      .getByText(/goes to the team/)
      .waitFor();

    const questions = (await api('sales', 'GET', `/handoffs/${handoffId}/questions`)).items!;
    expect(questions.some((q) => String(q.body).includes('payroll export'))).toBe(true);
    await ops.reload();
    await section.getByText(/We expect the payroll export/).waitFor();
    await section.getByRole('link', { name: /asked as a question on the handoff/ }).waitFor();
    // The question is on the handoff, for the team.
    await ops.goto(`${url}/handoffs/${handoffId}`);
    await ops.getByRole('tab', { name: /Questions/ }).click();
    const panel = ops.getByRole('tabpanel', { name: /Questions/ });
    await panel.getByText(/payroll export/).waitFor();
    await panel.getByText(/The client, through the portal/).waitFor();
  }, 90_000);

  it('signs off the closeout package and the team sees it', async () => {
    const { url: link } = await linkFor(engagement.id, contactId, 'signoff');
    const client = await asClient(PHONE);
    await client.goto(link.replace(/^https?:\/\/[^/]+/, url));
    await client.getByRole('heading', { name: 'What we hand over' }).waitFor();
    expect(await fitsWidth(client)).toBe(true);
    expect(await axeViolations(client, 'portal-04-signoff-phone')).toEqual([]);
    await client.getByRole('checkbox', { name: /I have reviewed/ }).check();
    await client.getByRole('textbox', { name: 'Your full name, to sign' }).fill('Casey Client');
    await client.getByRole('button', { name: 'Sign off' }).click();
    await client.getByRole('status').getByText('Signed off by Casey Client. Thank you.').waitFor();
    // Used up: opening it again shows the clear page.
    await client.reload();
    await client.getByRole('heading', { name: 'This link does not open anything' }).waitFor();

    const ops = await signInToDemo(browser, url, 'olive@demo.example', { contexts });
    await ops.goto(`${url}/engagements/${engagement.id}?tab=closeout`);
    await ops.getByTestId('signoff').getByText('Casey Client', { exact: false }).first().waitFor();
  }, 90_000);

  it('answers the survey at 1440, on a page in the organisation’s colour', async () => {
    const me = (await api('admin', 'GET', '/me')).organisation as { locale: string; currency: string };
    await api('admin', 'PUT', '/organisation/formats', {
      locale: me.locale,
      currency: me.currency,
      brand_color: '#f2c14e',
    });
    const { url: link } = await linkFor(engagement.id, contactId, 'survey');
    const client = await asClient(DESKTOP);
    await client.goto(link.replace(/^https?:\/\/[^/]+/, url));
    await client.getByRole('heading', { name: 'How did it go?' }).waitFor();
    const banner = client.getByRole('banner');
    await banner.getByText(seed.organisation.name).waitFor();
    const background = await banner.evaluate(
      (el) =>
        (
          globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
        ).getComputedStyle(el).backgroundColor,
    );
    expect(background).toBe('rgb(242, 193, 78)');
    expect(await axeViolations(client, 'portal-05-survey-desktop')).toEqual([]);
    await client.getByRole('radio', { name: '4: Satisfied' }).check();
    await client.getByRole('radio', { name: '9', exact: true }).check();
    await client.getByRole('textbox', { name: /Anything you would like/ }).fill('Smooth handover.');
    await client.getByRole('button', { name: 'Send my answers' }).click();
    await client.getByRole('status').getByText('Thank you for your answers.').waitFor();
    const activity = await api('operations', 'GET', `/engagements/${engagement.id}/portal`);
    expect(activity.survey_responses).toEqual([
      expect.objectContaining({ csat: 4, nps: 9, comment: 'Smooth handover.' }),
    ]);
  }, 90_000);

  it('shows an expired link and another engagement’s link the clear page, and no data', async () => {
    const expired = await linkFor(engagement.id, contactId, 'confirm', { expires_in_days: 1 });
    await store.db
      .updateTable('portal_links')
      .set({ expires_at: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', expired.id)
      .execute();
    // Another engagement, whose contact has since moved to another account: the link is out of scope.
    const other = await api('sales', 'POST', '/accounts', { name: 'Quiet Harbour Ltd' });
    const otherEngagement = await api('sales', 'POST', '/engagements', {
      account_id: other.id,
      name: 'Quiet harbour rollout',
    });
    const otherContact = await api('sales', 'POST', '/contacts', {
      account_id: other.id,
      name: 'Morgan Other',
      email: 'morgan@other.example',
      role: 'buyer',
    });
    const foreign = await linkFor(otherEngagement.id as string, otherContact.id as string, 'confirm');
    const elsewhere = await api('sales', 'POST', '/accounts', { name: 'Elsewhere Ltd' });
    await store.db
      .updateTable('contacts')
      .set({ account_id: elsewhere.id as string })
      .where('id', '=', otherContact.id as string)
      .execute();

    for (const [name, link, viewport] of [
      ['expired', expired.url, PHONE],
      ['foreign', foreign.url, DESKTOP],
    ] as const) {
      const client = await asClient(viewport);
      const seen: string[] = [];
      client.on('response', (r) => {
        if (r.url().includes('/api/v1/portal/')) seen.push(String(r.status()));
      });
      await client.goto(link.replace(/^https?:\/\/[^/]+/, url));
      await client.getByRole('heading', { name: 'This link does not open anything' }).waitFor();
      const text = (await client.locator('body').textContent()) ?? '';
      for (const data of [
        engagement.name,
        'Quiet harbour rollout',
        'Casey',
        'Morgan',
        'Sid Service',
        seed.organisation.name,
      ])
        expect(text, `${name} link shows ${data}`).not.toContain(data);
      expect(seen).toEqual(['404']);
      expect(await axeViolations(client, `portal-06-${name}-link`)).toEqual([]);
    }
  }, 90_000);
});
