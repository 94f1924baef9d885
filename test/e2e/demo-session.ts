import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD, type DemoSeed } from '../../src/demo/seed-demo.js';
import { axeViolations } from './axe-check.js';

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * A new browser context signed in to the demo server as `email`, on the inbox. The context is
 * added to `contexts`, for the test's `afterAll` to close.
 *
 * @example const ops = await signInToDemo(browser, url, 'olive@demo.example', { contexts });
 */
export async function signInToDemo(
  browser: Browser,
  url: string,
  email: string,
  options: { contexts: BrowserContext[]; viewport?: { width: number; height: number } },
): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP });
  context.setDefaultTimeout(10_000);
  options.contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('E-mail').fill(email);
  await page.locator('input[type=password]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  return page;
}

/**
 * The API as one of the demo's people, by their token: to set a scene, not to test it (a refusal
 * fails the test).
 *
 * @example await demoApi(url, demo)('sales', 'POST', `/questions/${id}/answer`, { answer: 'Yes' });
 */
export function demoApi(url: string, demo: DemoSeed) {
  return async (role: string, method: string, path: string, body?: unknown) => {
    const token = demo.users.find((u) => u.role === role)!.token;
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Record<string, unknown> & { items?: Record<string, unknown>[] };
    expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBeLessThan(300);
    return json;
  };
}

/**
 * axe's violations on the page at 1440×900 and again on a 390-pixel phone, each named
 * `name: violation`, after checking the page is no wider than the phone; the page is left at the
 * desktop size. `scope` is what axe checks (a selector expression; the whole document by default).
 *
 * @example violations.push(...(await axeAtBothSizes(page, 'vault-01-list')));
 */
export async function axeAtBothSizes(page: Page, name: string, scope = 'document'): Promise<string[]> {
  const found: string[] = [];
  await page.setViewportSize(DESKTOP);
  found.push(
    ...(await axeViolations(page, `${name}-desktop`, { scope })).map((v) => `${name}-desktop: ${v}`),
  );
  await page.setViewportSize(PHONE);
  // Charts take their new width from a ResizeObserver a frame or two after the resize: wait (at
  // most two seconds) for the page to settle before measuring it.
  await page
    .waitForFunction('document.documentElement.scrollWidth <= window.innerWidth', null, { timeout: 2000 })
    .catch(() => undefined);
  const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${name}: the page is no wider than the phone`).toBeLessThanOrEqual(0);
  found.push(...(await axeViolations(page, `${name}-phone`, { scope })).map((v) => `${name}-phone: ${v}`));
  await page.setViewportSize(DESKTOP);
  return found;
}
