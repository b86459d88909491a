import { dirname, resolve } from 'node:path';
import type { BuildFailure, Message } from 'esbuild';
import { UserError, type Diagnostic } from './diagnostics';

/** The user's entry compiled to one CommonJS module, and the files it was made from. */
export interface Bundle {
  readonly code: string;
  /** Absolute paths of every source file esbuild read (node_modules packages stay external). */
  readonly inputs: readonly string[];
}

/**
 * Bundles a TypeScript entry with esbuild: no tsconfig of the user's is required, packages are left
 * to Node's require so that the user's copies of cdk8s and constructs are the ones that run.
 */
export async function bundleEntry(entry: string): Promise<Bundle> {
  // Loaded lazily: a warm synth (cache hit) must not pay for starting esbuild's service.
  const esbuild = await import('esbuild');
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: dirname(entry),
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(dirname(entry), p));
    return { code: result.outputFiles[0].text, inputs: inputs.sort() };
  } catch (e) {
    if (isBuildFailure(e)) throw new UserError(e.errors.map((m) => toDiagnostic(m, dirname(entry))), e);
    throw e;
  }
}

function isBuildFailure(e: unknown): e is BuildFailure {
  return e instanceof Error && Array.isArray((e as BuildFailure).errors);
}

function toDiagnostic(message: Message, baseDir: string): Diagnostic {
  const loc = message.location;
  return {
    text: message.text,
    location: loc
      ? { file: resolve(baseDir, loc.file), line: loc.line, column: loc.column + 1, lineText: loc.lineText }
      : undefined,
    notes: message.notes.map((n) => n.text).filter((t) => t.length > 0),
  };
}
