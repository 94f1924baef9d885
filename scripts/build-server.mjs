// Bundles the server and CLI (src/) into dist/baton.mjs (and the playbook checker's worker into
// dist/playbook-check-worker.mjs) with esbuild when the bundle is missing or
// older than its sources, so `npm start` runs plain Node: no TypeScript loader at start-up.
// Packages stay external (loaded from node_modules as usual). Prints nothing when fresh.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'baton.mjs');
const sources = [join(root, 'src'), join(root, 'package-lock.json'), join(root, 'tsconfig.json')];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const builtAt = existsSync(outfile) ? statSync(outfile).mtimeMs : 0;
if (builtAt >= Math.max(...sources.map(newest)) && !process.argv.includes('--force')) process.exit(0);
await build({
  // The playbook checker's worker thread loads a file of its own, built beside the server.
  entryPoints: {
    baton: join(root, 'src', 'cli', 'main.ts'),
    'playbook-check-worker': join(root, 'src', 'playbooks', 'playbook-check-worker.ts'),
  },
  outdir: join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
