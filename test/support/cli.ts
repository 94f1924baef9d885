import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Runs the real CLI in a child process, as a user would, with `env` added to this process's.
 *
 * @example const { code, stdout } = await baton({ BATON_DATABASE_URL: url }, 'migrate', '--json');
 */
export async function baton(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, ...env, BATON_LOG_LEVEL: 'silent' }, maxBuffer: 32 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
