import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../kernel/errors.js';
import { BUILTIN_PLAYBOOK_DIR } from './builtin/load-builtins.js';
import { createPlaybookChecker, type PlaybookChecker } from './playbook-checker.js';

const VALID = readFileSync(join(BUILTIN_PLAYBOOK_DIR, 'professional-services.yaml'), 'utf8');

describe('the playbook checker', () => {
  let checker: PlaybookChecker | undefined;
  afterEach(async () => {
    await checker?.close();
  });

  it('checks documents on a worker thread', async () => {
    checker = createPlaybookChecker();
    const valid = await checker.check(VALID, 'ps.yaml');
    expect(valid.ok && valid.playbook.key).toBe('professional-services');
    const invalid = await checker.check('key: a\nkey: b\n', 'dup.yaml');
    expect(invalid).toEqual({
      ok: false,
      errorCount: 1,
      errors: [
        {
          file: 'dup.yaml',
          line: 2,
          column: 1,
          path: '/key',
          message: 'duplicate key "key" in the same mapping',
        },
      ],
    });
  });

  it('answers a document over the time limit with one error, and goes on with a fresh worker', async () => {
    checker = createPlaybookChecker({ timeLimitMs: 30 });
    await checker.check('key: warm\n', 'warm.yaml');
    const slow = await checker.check('key: a\n'.repeat(70_000), 'slow.yaml');
    expect(slow).toEqual({
      ok: false,
      errorCount: 1,
      errors: [
        {
          file: 'slow.yaml',
          line: 1,
          column: 1,
          path: '',
          message:
            'checking the document took longer than 0.03 s, the most the server spends on one; make it smaller or less repetitive',
        },
      ],
    });
    const next = await checker.check('key: [1\n', 'next.yaml');
    expect(next.ok).toBe(false);
    expect(!next.ok && next.errors[0]?.message).toMatch(/^YAML syntax error/);
  });

  it('refuses documents beyond those it lets wait', async () => {
    checker = createPlaybookChecker({ maxWaiting: 1 });
    const first = checker.check(VALID, 'first.yaml');
    const second = checker.check(VALID, 'second.yaml');
    await expect(second).rejects.toBeInstanceOf(AppError);
    await expect(second).rejects.toMatchObject({ code: 'too_many_requests', extra: { retry_after: 1 } });
    expect((await first).ok).toBe(true);
  });
});
