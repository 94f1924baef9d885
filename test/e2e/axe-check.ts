import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { ROOT } from './demo-server.js';

/** Where the browser tests leave their pictures, for whoever reads a report. */
export const SHOTS = join(ROOT, 'test-output', 'screenshots');

/**
 * Screenshots the page into `SHOTS` as `<name>.png` and answers axe-core's violations on it (or,
 * with `scope`, on one element: an open dialog), each as "id (impact): help — targets". Every
 * impact counts unless `impacts` names the ones that do.
 *
 * @example
 *   expect(await axeViolations(page, 'inbox-phone')).toEqual([]);
 */
export async function axeViolations(
  page: Page,
  name: string,
  options: { scope?: string; impacts?: readonly string[] } = {},
): Promise<string[]> {
  mkdirSync(SHOTS, { recursive: true });
  // A dialog or panel still fading in is half transparent, and its colours then fail a contrast
  // check they pass once shown: wait until two frames in a row start no finite animation or
  // transition (a component may start its transition a frame after it mounts), at most 3 s.
  await page.evaluate(`(async () => {
    const frame = () => new Promise((done) => requestAnimationFrame(() => done(undefined)));
    const running = () => document.getAnimations()
      .filter((a) => a.playState !== 'finished' && a.effect?.getComputedTiming().iterations !== Infinity);
    const until = Date.now() + 3000;
    let quiet = 0;
    while (quiet < 2 && Date.now() < until) {
      const now = running();
      if (now.length === 0) quiet += 1;
      else {
        quiet = 0;
        await Promise.race([
          Promise.all(now.map((a) => a.finished.catch(() => undefined))),
          new Promise((done) => setTimeout(done, Math.max(0, until - Date.now()))),
        ]);
      }
      await frame();
    }
  })()`);
  // A full-page capture is the report's picture, not a check: under the whole suite's load on
  // two cores it can take longer than an action's 10 s.
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, timeout: 30_000 });
  // Injected by evaluation, which the page's Content-Security-Policy (rightly) does not block.
  await page.evaluate(axe.source);
  const impacts = JSON.stringify(options.impacts ?? null);
  return (await page.evaluate(`axe.run(${options.scope ?? 'document'}).then((r) => r.violations
    .filter((v) => ${impacts} === null || ${impacts}.includes(v.impact))
    .map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')))`)) as string[];
}
