import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, packageVersion } from '../_package';

/** The file name of the runtime script, inside the ConfigMap and at its mount point. */
export const RUNTIME_FILE = 'imagestreams-runtime.js';
/** Where the published package carries the prebuilt runtime (npm run build). */
export const PREBUILT_RUNTIME = join('build', 'runtime', RUNTIME_FILE);
/** Where the runtime's sources are in a checkout of this repository. */
const RUNTIME_ENTRY = join('lib', 'runtime', 'main.ts');

export interface RuntimeBundle {
  readonly code: string;
  /** sha256 of the code, hex. Named into the ConfigMap so that a new runtime rolls its pods. */
  readonly sha256: string;
}

let cached: RuntimeBundle | undefined;

/**
 * The runtime as one minified script. In a checkout of this repository it is bundled from source
 * (once per process), so that it can never be stale; an installed package uses the copy built by
 * `npm run build`. esbuild's output depends only on the sources and its version: byte-identical.
 */
export function runtimeBundle(): RuntimeBundle {
  if (!cached) {
    const root = packageRoot();
    const code = existsSync(join(root, RUNTIME_ENTRY)) ? bundleRuntime(root) : readFileSync(join(root, PREBUILT_RUNTIME), 'utf8');
    cached = { code, sha256: createHash('sha256').update(code).digest('hex') };
  }
  return cached;
}

/** esbuild options shared by synth-time bundling and the package build (scripts/build-runtime). */
export function runtimeBuildOptions(root: string) {
  return {
    entryPoints: [join(root, RUNTIME_ENTRY)],
    absWorkingDir: root,
    bundle: true,
    minify: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node20',
    legalComments: 'none' as const,
    // Short lines, so that the YAML of the ConfigMap diffs line by line in git.
    lineLimit: 160,
    define: { RUNTIME_VERSION: JSON.stringify(packageVersion()) },
    write: false,
  };
}

function bundleRuntime(root: string): string {
  // esbuild is a dependency of the compiler; required lazily since installed packages don't need it here.
  const esbuild = require('esbuild') as typeof import('esbuild');
  return esbuild.buildSync(runtimeBuildOptions(root)).outputFiles![0].text;
}
