import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KEY_BYTES, newKey } from './envelope.js';

/**
 * The key-encryption keys (KEKs) the vault may use, kept outside the database (decision
 * 0011-vault): in a key file (`BATON_VAULT_KEY_FILE`, by default `<data dir>/vault-keys`) or in the
 * environment (`BATON_VAULT_KEY`). Each is named by an id, so several can be held during a
 * rotation; the last one listed is the current one, which wraps new data keys.
 *
 * Either source is lines (or, in the environment, comma-separated entries) of `<id>:<base64 key>`;
 * in the file, `#` starts a comment.
 */
export interface Keyring {
  /** Where the keys were read from, to name in messages (never the keys). */
  readonly source: string;
  /** The key file a rotation appends to; null when the keys come from the environment. */
  readonly file: string | null;
  readonly keys: ReadonlyMap<string, Buffer>;
  /** The id of the key that wraps new data keys; null when there is none. */
  readonly current: string | null;
}

declare module '../kernel/context.js' {
  interface Deps {
    /**
     * The vault's key-encryption keys (`src/vault/keyring.ts`): read at start by the processes
     * that serve, absent where no secret is sealed or opened (the vault then refuses to).
     */
    vaultKeys?: Keyring;
  }
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A problem with the configured keys, naming where, never the key. */
export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

/** Parses `<id>:<base64>` entries; throws naming the entry's position, never its key. */
export function parseKeys(entries: readonly string[], source: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  entries.forEach((entry, n) => {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    const key = Buffer.from(entry.slice(at + 1).trim(), 'base64');
    if (at < 1 || !ID.test(id) || key.length !== KEY_BYTES)
      throw new KeyringError(
        `${source}, entry ${n + 1}: must be <id>:<base64 of 32 random bytes> (an id of letters, digits, . _ -)`,
      );
    if (keys.has(id)) throw new KeyringError(`${source}, entry ${n + 1}: the key id ${id} is listed twice`);
    keys.set(id, key);
  });
  return keys;
}

function ring(source: string, file: string | null, keys: Map<string, Buffer>): Keyring {
  return { source, file, keys, current: [...keys.keys()].at(-1) ?? null };
}

/** The entries of a key file: one per line, `#` comments and blank lines skipped. */
function fileEntries(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

/**
 * The configured keyring: `BATON_VAULT_KEY` when set (the file is then not read), else the key
 * file when it exists, else an empty ring naming the file (the vault then refuses to seal).
 */
export function loadKeyring(keyFile: string, env: NodeJS.ProcessEnv = process.env): Keyring {
  const fromEnv = env.BATON_VAULT_KEY?.trim();
  if (fromEnv) {
    const entries = fromEnv
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    return ring('BATON_VAULT_KEY', null, parseKeys(entries, 'BATON_VAULT_KEY'));
  }
  if (!existsSync(keyFile)) return ring(keyFile, keyFile, new Map());
  return ring(keyFile, keyFile, parseKeys(fileEntries(readFileSync(keyFile, 'utf8')), keyFile));
}

/** A fresh key id: the day it was made and random letters, so ids sort by age and never collide. */
export function newKeyId(now: Date): string {
  return `kek-${now.toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Adds a new random KEK at the end of the key file (made, readable by its owner only, when
 * missing), so it becomes the current one; answers the new ring and the key's id.
 */
export function addKeyToFile(keyFile: string, now: Date): { keyring: Keyring; id: string } {
  const id = newKeyId(now);
  const line = `${id}:${newKey().toString('base64')}\n`;
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    writeFileSync(
      keyFile,
      `# Baton's vault key-encryption keys (keep a copy elsewhere; never in the database's backups).\n# The last key listed wraps new data keys.\n${line}`,
      { mode: 0o600, flag: 'wx' },
    );
  } else {
    appendFileSync(keyFile, line);
  }
  chmodSync(keyFile, 0o600);
  return { keyring: loadKeyring(keyFile, {}), id };
}

/** A keyring held in memory only (tests, and a process handed its keys by its caller). */
export function memoryKeyring(keys: Iterable<[string, Buffer]>, source = 'memory'): Keyring {
  return ring(source, null, new Map(keys));
}

/**
 * Removes the keys named from the key file (their lines only; comments and the other keys stay),
 * once no data key needs them: a retired key is gone from this machine.
 */
export function removeKeysFromFile(keyFile: string, ids: readonly string[]): Keyring {
  const lines = readFileSync(keyFile, 'utf8').split('\n');
  const kept = lines.filter((line) => {
    const entry = line.replace(/#.*$/, '').trim();
    return !entry || !ids.includes(entry.slice(0, entry.indexOf(':')));
  });
  writeFileSync(keyFile, kept.join('\n'), { mode: 0o600 });
  return loadKeyring(keyFile, {});
}
