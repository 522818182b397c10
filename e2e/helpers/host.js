// The host (native) side of the determinism check: the core's trace_hash example.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { ROOT } from './browser.js';

const run = promisify(execFile);

/** Run `cargo run --quiet --release -p quorum-sim --example trace_hash` and return the hex hash it prints. */
export async function hostTraceHash({ nodes, seed, until }) {
  const args = ['run', '--quiet', '--release', '-p', 'quorum-sim', '--example', 'trace_hash', '--',
    '--nodes', String(nodes), '--seed', String(seed), '--until', String(until)];
  let stdout;
  try {
    ({ stdout } = await run('cargo', args, { cwd: ROOT, timeout: 15 * 60_000, maxBuffer: 1 << 20 }));
  } catch (err) {
    throw new Error(`cargo ${args.join(' ')} failed: ${err.message}\n${err.stderr ?? ''}`);
  }
  const hash = stdout.trim().split('\n').pop().trim();
  if (!/^[0-9a-f]{16}$/.test(hash)) {
    throw new Error(`trace_hash printed ${JSON.stringify(stdout)}, expected 16 lower-case hex digits`);
  }
  return hash;
}
