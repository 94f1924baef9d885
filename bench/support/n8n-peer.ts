/**
 * n8n's Webhook → Set workflow, measured on this machine by the peers' own script
 * (`../shared/peers/n8n-webhook-bench.sh`), so Baton's inbound webhook is set beside it in the
 * same run. The script installs n8n once into `dir` (about 3 minutes and 1.7 GB; later runs reuse
 * it), loads it with autocannon at 50 and 10 connections, and stops everything it started.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './processes.js';

export interface PeerRun {
  reqPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Where the peers' scripts are: beside the checkout, as in CI. */
export const PEER_SCRIPT = join(ROOT, '..', 'shared', 'peers', 'n8n-webhook-bench.sh');

/**
 * Runs the script and answers each labelled result it prints (`n8n-saved-c50`, `n8n-saved-c10`,
 * `n8n-nosave-c50`, `bare-c50`), or null when the script is not there.
 */
export async function runN8nPeer(
  dir = process.env.BENCH_PEER_DIR ?? join(tmpdir(), 'baton-bench-n8n'),
): Promise<Map<string, PeerRun> | null> {
  if (!existsSync(PEER_SCRIPT)) return null;
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [PEER_SCRIPT, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      process.stdout.write(`    n8n: ${String(d).trimEnd().replaceAll('\n', '\n    n8n: ')}\n`);
    });
    child.stderr.on('data', (d) => {
      out += String(d);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`n8n peer exited ${code}: ${out}`)),
    );
  });
  const runs = new Map<string, PeerRun>();
  for (const line of output.split('\n')) {
    const match = /^([a-z0-9-]+) (\{.*\})$/.exec(line.trim());
    if (!match) continue;
    const r = JSON.parse(match[2]!) as {
      req_s_mean: number;
      p50_ms: number;
      p99_ms: number;
      errors: number;
      non2xx: number;
    };
    runs.set(match[1]!, {
      reqPerSecond: r.req_s_mean,
      p50: r.p50_ms,
      p99: r.p99_ms,
      errors: r.errors,
      non2xx: r.non2xx,
    });
  }
  return runs;
}
