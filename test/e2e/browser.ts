import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launches headless Chromium without downloading anything: Debian's /usr/bin/chromium when it is
 * installed, otherwise the binary shipped inside the @sparticuz/chromium npm package.
 */
export async function launchChromium(): Promise<Browser> {
  if (existsSync('/usr/bin/chromium'))
    return chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  const sparticuz = (await import('@sparticuz/chromium')).default;
  // Its Lambda-oriented flags are kept except those that would change what is tested: one process
  // (closing a page would end the browser) and a disabled same-origin policy.
  const dropped = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);
  return chromium.launch({
    executablePath: await sparticuz.executablePath(),
    args: [...new Set([...sparticuz.args.filter((a) => !dropped.has(a)), ...FLAGS])],
  });
}
