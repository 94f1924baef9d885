import { join } from 'node:path';
import { type Keyring, loadKeyring } from '../vault/keyring.js';

/** Where the vault's key-encryption keys are kept: `BATON_VAULT_KEY_FILE`, or `vault-keys` in the data directory. */
export function vaultKeyFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.BATON_VAULT_KEY_FILE || join(dataDir, 'vault-keys');
}

/** The configured keyring (`BATON_VAULT_KEY` first, else the key file; see src/vault/keyring.ts). */
export function readVaultKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): Keyring {
  return loadKeyring(vaultKeyFile(dataDir, env), env);
}
