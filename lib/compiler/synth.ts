import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleEntry, type Bundle } from './bundle';
import { BundleCache, defaultCacheDir } from './cache';
import { collectCharts } from './collect';
import { UserError } from './diagnostics';
import { planOutput, type OutputFiles, type OutputLayout } from './output';
import { packageVersion } from './package-info';
import { runEntry } from './run';
import { validateObjects } from './validate';

export interface SynthOptions {
  /** How files are laid out. @default 'chart' */
  readonly layout?: OutputLayout;
  /** Where compiled entries are cached. @default - IMAGESTREAMS_CACHE_DIR or ~/.cache/imagestreams */
  readonly cacheDir?: string;
  /** Skip the cache (always run esbuild, store nothing). @default false */
  readonly noCache?: boolean;
  /** The folder a relative entry is resolved from. @default process.cwd() */
  readonly cwd?: string;
}

export interface SynthResult {
  readonly files: OutputFiles;
  /** Whether the compiled entry came from the cache. */
  readonly cacheHit: boolean;
}

/**
 * load (esbuild, or the cache) → run the user's App → validate → render deterministic YAML.
 * Writes nothing: the caller decides between writing, checking and printing.
 */
export async function synthesize(entryArg: string, options: SynthOptions = {}): Promise<SynthResult> {
  const entry = resolveEntry(entryArg, options.cwd ?? process.cwd());
  const { bundle, cacheHit } = await loadBundle(entry, options);
  const charts = collectCharts(runEntry(entry, bundle));
  const problems = validateObjects(charts);
  if (problems.length > 0) throw new UserError(problems);
  if (charts.every((c) => c.objects.length === 0)) throw nothingSynthesized(entryArg, charts.length);
  return { files: planOutput(charts, options.layout ?? 'chart'), cacheHit };
}

/** An app without objects is a mistake, and writing it would empty the output folder. */
function nothingSynthesized(entryArg: string, charts: number): UserError {
  const what = charts === 0 ? 'its App has no charts' : `its App's ${charts === 1 ? 'chart holds' : `${charts} charts hold`} no objects`;
  return UserError.of(`${entryArg} synthesized nothing: ${what}`, {
    notes: ["add charts with constructs to the App before app.synth(), e.g. new System(app, 'imagestreams')"],
  });
}

function resolveEntry(entryArg: string, cwd: string): string {
  const entry = resolve(cwd, entryArg);
  if (!existsSync(entry)) {
    throw UserError.of(`entry ${entryArg} does not exist`, {
      notes: ['pass the TypeScript file that builds your cdk8s App: imagestreams synth path/to/main.ts'],
    });
  }
  if (!statSync(entry).isFile()) throw UserError.of(`entry ${entryArg} is not a file`);
  return entry;
}

async function loadBundle(entry: string, options: SynthOptions): Promise<{ bundle: Bundle; cacheHit: boolean }> {
  if (options.noCache) return { bundle: await bundleEntry(entry), cacheHit: false };
  const cache = new BundleCache(options.cacheDir ?? defaultCacheDir(), cacheSalt());
  const cached = cache.lookup(entry);
  if (cached) return { bundle: cached, cacheHit: true };
  const bundle = await bundleEntry(entry);
  cache.store(entry, bundle);
  return { bundle, cacheHit: false };
}

function cacheSalt(): string {
  // esbuild's package.json, not esbuild itself: loading esbuild would start its service.
  const esbuildVersion = (require('esbuild/package.json') as { version: string }).version;
  return `imagestreams@${packageVersion()} esbuild@${esbuildVersion}`;
}
