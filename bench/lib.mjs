// Small helpers shared by the benchmarks: timing whole commands, medians, temporary apps.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = (name) => join(REPO, 'node_modules', '.bin', name);

/** Runs a command to completion and returns its wall time in ms; throws when it fails. */
export function timeCommand(cmd, args, { cwd, env = {}, before } = {}) {
  before?.();
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return ms;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A throw-away app folder that borrows the repository's node_modules. */
export function tempApp(files) {
  const dir = mkdtempSync(join(tmpdir(), 'imagestreams-bench-'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', ...opts });
}

export function fmt(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

/**
 * bench/driver.ts through tsx (the control-plane harness finds its binaries and Tekton's module
 * relative to its own sources, so it runs from them rather than from a bundle).
 */
export async function loadDriver() {
  const { require: tsxRequire } = await import('tsx/cjs/api');
  return tsxRequire('./driver.ts', import.meta.url);
}
