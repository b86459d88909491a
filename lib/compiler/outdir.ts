import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from './diagnostics';
import { readableForDiff } from './drift-view';
import { formatRecord, OUTPUT_RECORD, parseRecord } from './output-record';
import type { OutputFiles } from './output';

/**
 * What an output folder is to synth: new (missing, or nothing in it but hidden entries), owned (it
 * holds synth's record, listing the files synth wrote there), or someone else's.
 */
type OutputDirState =
  | { readonly kind: 'new' }
  | { readonly kind: 'owned'; readonly files: readonly string[]; readonly record: string }
  | { readonly kind: 'foreign'; readonly entries: readonly string[] };

function inspectOutputDir(dir: string, display: string): OutputDirState {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'new' };
    throw e;
  }
  if (!isDirectory) throw UserError.of(`${display} is a file, not a folder`, { notes: ['give --out a folder (it is created when missing), e.g. --out dist'] });
  const record = readIfFile(join(dir, OUTPUT_RECORD));
  if (record !== undefined) return { kind: 'owned', files: parseRecord(record, `${display}/${OUTPUT_RECORD}`), record };
  // Only the top level is looked at: synth never descends into a folder it does not own.
  const entries = readdirSync(dir).filter((name) => !name.startsWith('.')).sort();
  return entries.length === 0 ? { kind: 'new' } : { kind: 'foreign', entries };
}

export interface WriteOptions {
  /** The folder as the user named it, for messages. @default the path given */
  readonly displayDir?: string;
  /** Write into a folder synth did not write, replacing files of the names it writes (`--take-over`). @default false */
  readonly takeOver?: boolean;
}

export interface WriteSummary {
  /** Files created or changed (unchanged files are not rewritten). */
  readonly written: number;
  /** Files synth wrote before and writes no longer, deleted. */
  readonly removed: number;
}

/**
 * Makes `dir` hold `files`: writes what changed, deletes only the files its record says it wrote
 * before and no longer writes, and records what it wrote. Never touches another file; refuses a
 * folder it did not write (unless `takeOver`), and a file of its own name that it did not write.
 */
export function writeOutputDir(dir: string, files: OutputFiles, options: WriteOptions = {}): WriteSummary {
  const display = options.displayDir ?? dir;
  const state = inspectOutputDir(dir, display);
  if (state.kind === 'foreign' && !options.takeOver) throw notOurs(display, state.entries, 'write');
  const previous = state.kind === 'owned' ? state.files : [];
  checkNothingInTheWay(dir, display, files, previous, options.takeOver ?? false);
  makeFolder(dir, display);
  // Recorded before they are written: an interrupted run never leaves a file of synth's unrecorded.
  writeRecord(dir, [...previous, ...files.keys()]);
  let written = 0;
  for (const [path, content] of files) {
    if (readIfFile(join(dir, path)) === content) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
    written++;
  }
  let removed = 0;
  for (const path of previous.filter((p) => !files.has(p))) {
    if (removeFile(join(dir, path))) removed++;
    removeEmptyFolders(dir, path);
  }
  writeRecord(dir, files.keys());
  return { written, removed };
}

/** A file synth would write where a file it did not write is: refused, or replaced with `takeOver`. Folders always refuse. */
function checkNothingInTheWay(dir: string, display: string, files: OutputFiles, owned: readonly string[], takeOver: boolean): void {
  const ours = new Set(owned);
  const inTheWay = [...files.keys()].filter((p) => !ours.has(p) && kindOf(join(dir, p)) !== undefined);
  const folders = inTheWay.filter((p) => kindOf(join(dir, p)) === 'folder');
  if (folders.length > 0) {
    throw UserError.of(`${display}/${folders[0]} is a folder where synth writes a file`, { notes: ['move the folder away, or write to another folder with --out'] });
  }
  if (inTheWay.length > 0 && !takeOver) {
    throw UserError.of(`${list(inTheWay.map((p) => `${display}/${p}`))} ${inTheWay.length === 1 ? 'is' : 'are'} in the way: synth writes ${inTheWay.length === 1 ? 'that file' : 'those files'} but did not write ${inTheWay.length === 1 ? 'it' : 'them'}`, {
      notes: [`move ${inTheWay.length === 1 ? 'it' : 'them'} away, or pass --take-over to let synth replace ${inTheWay.length === 1 ? 'it' : 'them'}`],
    });
  }
}

function notOurs(display: string, entries: readonly string[], command: 'write' | 'check'): UserError {
  const what = `${display} is not empty and was not written by imagestreams synth (it holds ${list(entries)}; synth records its files in ${display}/${OUTPUT_RECORD})`;
  return UserError.of(what, {
    notes: command === 'write'
      ? [`synth writes only into a new or empty folder, or one it wrote before: choose another folder with --out, or pass --take-over to write into ${display} anyway (synth then replaces files of the names it writes, and deletes nothing it did not write)`]
      : ['--check compares only a folder synth wrote: run imagestreams synth first (with --take-over if the folder is meant to hold its output)'],
  });
}

function list(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function writeRecord(dir: string, paths: Iterable<string>): void {
  const content = formatRecord(new Set(paths));
  const path = join(dir, OUTPUT_RECORD);
  if (readIfFile(path) !== content) writeFileSync(path, content);
}

function readIfFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function kindOf(path: string): 'file' | 'folder' | undefined {
  try {
    return lstatSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return undefined;
  }
}

/** Deletes a file (or a link) synth recorded; a folder in its place is left alone. */
function removeFile(path: string): boolean {
  if (kindOf(path) !== 'file') return false;
  rmSync(path);
  return true;
}

/** Removes the folders of `path` below `dir` that the deletion left empty. */
function removeEmptyFolders(dir: string, path: string): void {
  for (let d = dirname(path); d !== '.' && d !== ''; d = dirname(d)) {
    const full = join(dir, d);
    if (kindOf(full) !== 'folder' || readdirSync(full).length > 0) return;
    rmdirSync(full);
  }
}

export interface Drift {
  readonly missing: readonly string[];
  readonly extra: readonly string[];
  readonly changed: readonly string[];
  /** A unified diff from what is in the folder to what synth would write (large generated values summarised). */
  readonly diff: string;
}

/**
 * How the folder differs from what synth would write there, by the same ownership rules as writing:
 * the files it would write, its record, and the files its record lists. Undefined when nothing differs.
 */
export function findDrift(dir: string, files: OutputFiles, displayDir = dir): Drift | undefined {
  const state = inspectOutputDir(dir, displayDir);
  if (state.kind === 'foreign') throw notOurs(displayDir, state.entries, 'check');
  const expected = new Map([...files, [OUTPUT_RECORD, formatRecord(files.keys())]]);
  const current = new Map<string, string>();
  for (const path of new Set([...(state.kind === 'owned' ? state.files : []), ...files.keys(), OUTPUT_RECORD])) {
    const content = readIfFile(join(dir, path));
    if (content !== undefined) current.set(path, content);
  }
  const missing = [...expected.keys()].filter((p) => !current.has(p)).sort();
  const extra = [...current.keys()].filter((p) => !expected.has(p)).sort();
  const changed = [...expected.keys()].filter((p) => current.has(p) && current.get(p) !== expected.get(p)).sort();
  if (missing.length + extra.length + changed.length === 0) return undefined;
  return { missing, extra, changed, diff: unifiedDiff(displayDir, current, expected, [...missing, ...changed, ...extra]) };
}

function unifiedDiff(displayDir: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, paths: readonly string[]): string {
  // Loaded only when there is drift to show: a clean check doesn't pay for the diff library.
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = require('diff') as typeof import('diff');
  return [...new Set(paths)].sort().map((p) => {
    const label = `${displayDir}/${p}`;
    const patch = createTwoFilesPatch(
      before.has(p) ? label : '/dev/null', after.has(p) ? label : '/dev/null',
      readableForDiff(before.get(p) ?? ''), readableForDiff(after.get(p) ?? ''),
      undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY },
    );
    return patch.replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2');
  }).join('');
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir never returns for a path it cannot create
 * under /proc (mkdir answers ENOENT there, and it retries); this reports the folder it could not make.
 */
function makeFolder(dir: string, display: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d) && d !== dirname(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      throw UserError.of(`${display}: cannot create the folder ${d} (${code ?? (e as Error).message})`, { notes: ['give --out a folder you can write, e.g. --out dist'] });
    }
  }
}
