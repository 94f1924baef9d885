// Builds the web UI (vite build) when web/dist is missing or older than any of its sources, so
// `npm start` stays one command. Prints nothing when the build is fresh.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'web', 'dist', 'index.html');
const sources = [
  join(root, 'web', 'src'),
  join(root, 'web', 'public'),
  join(root, 'web', 'index.html'),
  join(root, 'web', 'vite.config.ts'),
  join(root, 'src', 'playbooks', 'domain'),
  join(root, 'src', 'summary', 'domain'),
  join(root, 'src', 'handoffs', 'domain'),
  join(root, 'src', 'accounts', 'domain'),
  join(root, 'src', 'kernel', 'principal.ts'),
  join(root, 'package-lock.json'),
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const sourcesAt = Math.max(...sources.map(newest));
if (builtAt >= sourcesAt) process.exit(0);
process.stdout.write(
  builtAt ? 'The web UI changed since it was built: building it…\n' : 'Building the web UI…\n',
);
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const result = spawnSync(
  process.execPath,
  [vite, 'build', '--config', join(root, 'web', 'vite.config.ts'), '--logLevel', 'warn'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
