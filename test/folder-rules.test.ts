import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CHECK = join(import.meta.dirname, '..', 'scripts', 'check-folders.mjs');

/** Runs the folder check (`npm run lint:folders`) over a fixture tree: its exit code and what it printed. */
async function checkFolders(fixture: string): Promise<{ code: number; output: string }> {
  const root = join(import.meta.dirname, 'fixtures', fixture);
  try {
    const { stdout, stderr } = await run(process.execPath, [CHECK, '--root', root]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('the folder rules (npm run lint:folders)', () => {
  it('fails on a tree that breaks them, naming each rule and the import that breaks it', async () => {
    const { code, output } = await checkFolders('folder-rules');
    expect(code).toBe(1);
    const named = output.split('\n').filter((line) => /^ {2}[a-z-]+: /.test(line));
    expect(named).toEqual([
      '  no-folder-cycle: billing, ledger import one another, e.g. billing → ledger → billing',
      '  kernel-imports-no-folder: src/kernel/clock.ts imports src/ledger/public.ts',
      '  platform-floor-identity: src/identity/sign-in.ts imports src/billing/public.ts',
      '  feature-sibling-through-public-face: src/billing/report.ts imports src/ledger/balance.ts',
      '  domain-does-no-io: src/billing/domain/invoice.ts reaches kysely: src/billing/domain/invoice.ts → kysely',
      '  product-imports-no-test: src/billing/report.ts imports test/support/invoices.ts',
      '  src-holds-no-test-only-code: src/ledger/fixtures/sample-entries.ts',
    ]);
    // The cycle is shown by the imports that close it, each allowed alone (both go through a face).
    expect(output).toContain('billing → ledger: src/billing/post-invoice.ts imports src/ledger/public.ts');
    expect(output).toContain('ledger → billing: src/ledger/balance.ts imports src/billing/public.ts');
    expect(output).toContain('Folder rules: 7 violations');
  });

  it('passes a tree that keeps them, where a pure domain hashes with node:crypto', async () => {
    const { code, output } = await checkFolders('folder-rules-clean');
    expect(output).toContain('Folder rules: no violations');
    expect(code).toBe(0);
  });
});
