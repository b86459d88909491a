import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import { defaultCacheDir } from './cache';
import type { Diagnostic } from './diagnostics';
import { UserError } from './diagnostics';

// The user's TypeScript, else the compiler that ts-morph carries (so that no other copy is needed).
type Ts = typeof TsNamespace;
type CompilerOptions = TsNamespace.CompilerOptions;
type TsDiagnostic = TsNamespace.Diagnostic;

/** Strict settings for users who have no tsconfig.json, as `deno check` has strict defaults. */
const STRICT_DEFAULTS: CompilerOptions = {
  strict: true,
  target: 9 /* ES2022 */,
  module: 200 /* Preserve: import and require as a bundler (esbuild, as synth) reads them */,
  moduleResolution: 100 /* Bundler */,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  resolveJsonModule: true,
};

export interface TypecheckOptions {
  /** Where TypeScript's incremental build info is kept. @default - IMAGESTREAMS_CACHE_DIR or ~/.cache/imagestreams */
  readonly cacheDir?: string;
}

/**
 * Type-checks the entry and every file it imports (not the user's whole tsconfig project), with the
 * user's nearest tsconfig.json when there is one, else strict defaults. Returns the problems found.
 * TypeScript's incremental build info is kept in the cache, as `tsc --incremental` keeps it, so a
 * run after a small change re-checks only the files it affects.
 */
export async function typecheck(entryArg: string, cwd = process.cwd(), options: TypecheckOptions = {}): Promise<Diagnostic[]> {
  const entry = resolve(cwd, entryArg);
  if (!existsSync(entry)) throw UserError.of(`entry ${entryArg} does not exist`);
  const { ts, embeddedLibs } = await loadTypescript(dirname(entry));
  const tsconfig = findTsconfig(dirname(entry));
  const config = tsconfig ? readTsconfig(ts, tsconfig) : { options: STRICT_DEFAULTS, errors: [] };
  const compilerOptions: CompilerOptions = {
    ...config.options,
    noEmit: true,
    incremental: true,
    tsBuildInfoFile: buildInfoFile(options.cacheDir ?? defaultCacheDir(), ts.version, entry, config.options),
  };
  const created = ts.createIncrementalCompilerHost(compilerOptions);
  const host = embeddedLibs ? withEmbeddedLibs(ts, created) : created;
  // As tsc does (TypeScript 5.3 and later): JSDoc is parsed only where it can hold types, not in every .d.ts comment.
  if (ts.JSDocParsingMode) host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const program = ts.createIncrementalProgram({ rootNames: [entry], options: compilerOptions, host });
  const found = ts.sortAndDeduplicateDiagnostics([
    ...config.errors,
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSemanticDiagnostics(),
  ]);
  program.emit(); // noEmit: writes the build info only
  const diagnostics = found.filter((d) => !d.file?.fileName.includes('/node_modules/')).map((d) => toDiagnostic(d, ts));
  if (!embeddedLibs || !found.some((d) => d.code >= 5000 && d.code < 6000)) return diagnostics;
  // A tsconfig problem, found by our TypeScript as the project has none of its own.
  const note = `checked with TypeScript ${ts.version} (cdk8s-imagestreams' own, as no typescript is installed in the project): install the one your tsconfig is written for, e.g. npm install --save-dev typescript@5, and check runs with it`;
  return diagnostics.map((d) => ({ ...d, notes: [...(d.notes ?? []), note] }));
}

/**
 * The TypeScript the user's project uses, resolved from the entry's folder as their `tsc` would be,
 * so that `check` accepts exactly the tsconfigs their tsc accepts (TypeScript 6 refuses options 5.x
 * only deprecates); without one, ts-morph's (loaded only by this command), with its embedded libs.
 */
export async function loadTypescript(fromDir: string): Promise<{ ts: Ts; embeddedLibs: boolean }> {
  try {
    const own = createRequire(join(fromDir, 'noop.js'));
    const ts = own(own.resolve('typescript')) as Ts;
    if (typeof ts.createIncrementalProgram === 'function' && typeof ts.version === 'string') return { ts, embeddedLibs: false };
  } catch {
    // no typescript in the user's project: ours
  }
  const { ts } = await import('ts-morph');
  return { ts, embeddedLibs: true };
}

/**
 * ts-morph's compiler ships without TypeScript's lib folder: it carries the lib files' text (in
 * @ts-morph/common), which the host serves from a folder of their own, as ts-morph's Project does.
 */
function withEmbeddedLibs(ts: Ts, host: TsNamespace.CompilerHost): TsNamespace.CompilerHost {
  const common = createRequire(require.resolve('ts-morph'))('@ts-morph/common') as { getLibFiles(): { fileName: string; text: string }[]; libFolderInMemoryPath: string };
  const folder = common.libFolderInMemoryPath;
  const libs = new Map(common.getLibFiles().map((f) => [`${folder}/${f.fileName}`, f.text]));
  const { fileExists, readFile } = host;
  host.getDefaultLibLocation = () => folder;
  host.getDefaultLibFileName = (options) => `${folder}/${ts.getDefaultLibFileName(options)}`;
  host.fileExists = (file) => libs.has(file) || fileExists.call(host, file);
  host.readFile = (file) => libs.get(file) ?? readFile.call(host, file);
  return host;
}

function findTsconfig(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(d, 'package.json')) || dirname(d) === d) return undefined;
  }
}

/** The compiler options of a tsconfig.json (and what it extends); its `files` and `include` don't matter here. */
function readTsconfig(ts: Ts, path: string): { options: CompilerOptions; errors: readonly TsDiagnostic[] } {
  const errors: TsDiagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(path, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => errors.push(d) });
  // A tsconfig whose `include` matches nothing is fine: the entry is the one root.
  const relevant = (parsed?.errors ?? []).filter((d) => d.code !== 18003);
  return { options: parsed?.options ?? {}, errors: [...errors, ...relevant] };
}

/** One build info per entry, TypeScript version and options, in the cache. */
function buildInfoFile(cacheDir: string, tsVersion: string, entry: string, options: CompilerOptions): string {
  const dir = join(cacheDir, 'typecheck');
  mkdirSync(dir, { recursive: true });
  const key = createHash('sha256').update(JSON.stringify([tsVersion, entry, options])).digest('hex').slice(0, 32);
  return join(dir, `${key}.tsbuildinfo`);
}

function toDiagnostic(d: TsDiagnostic, ts: Ts): Diagnostic {
  const text = `${ts.flattenDiagnosticMessageText(d.messageText, '\n')} (TS${d.code})`;
  if (!d.file || d.start === undefined) return { text };
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return { text, location: { file: d.file.fileName, line: line + 1, column: character + 1 } };
}
