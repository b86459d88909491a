import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { OutputFiles } from './output';

/** YAML files in the output folder belong to the compiler: stale ones are removed or reported. */
function isOwned(path: string): boolean {
  return path.endsWith('.yaml') || path.endsWith('.yml');
}

/** The compiler-owned files under `dir` (recursively): relative path → content. */
export function readOutputDir(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (existsSync(dir)) collect(dir, dir, files);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function collect(root: string, dir: string, into: Map<string, string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) collect(root, full, into);
    else if (entry.isFile() && isOwned(entry.name)) into.set(relative(root, full).split('\\').join('/'), readFileSync(full, 'utf8'));
  }
}

/** Makes `dir` hold exactly `files` (among its YAML files); rewrites only what changed. */
export function writeOutputDir(dir: string, files: OutputFiles): void {
  const current = readOutputDir(dir);
  for (const [path, content] of files) {
    if (current.get(path) === content) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  for (const path of current.keys()) {
    if (!files.has(path)) rmSync(join(dir, path));
  }
}

export interface Drift {
  readonly missing: readonly string[];
  readonly extra: readonly string[];
  readonly changed: readonly string[];
  /** A unified diff from what is in the folder to what synth would write. */
  readonly diff: string;
}

/** How the folder differs from what would be written; undefined when it doesn't. */
export function findDrift(dir: string, files: OutputFiles, displayDir = dir): Drift | undefined {
  const current = readOutputDir(dir);
  const missing = [...files.keys()].filter((p) => !current.has(p));
  const extra = [...current.keys()].filter((p) => !files.has(p)).sort();
  const changed = [...files.keys()].filter((p) => current.has(p) && current.get(p) !== files.get(p));
  if (missing.length + extra.length + changed.length === 0) return undefined;
  // Loaded only when there is drift to show: a clean check doesn't pay for the diff library.
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = require('diff') as typeof import('diff');
  const patches = [...new Set([...missing, ...changed, ...extra])].sort().map((p) => {
    const label = `${displayDir}/${p}`;
    const before = current.get(p) ?? '';
    const after = files.get(p) ?? '';
    const patch = createTwoFilesPatch(current.has(p) ? label : '/dev/null', files.has(p) ? label : '/dev/null', before, after, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
    return patch.replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2');
  });
  return { missing, extra, changed, diff: patches.join('') };
}
