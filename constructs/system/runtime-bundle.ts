import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, packageVersion } from '../_package';

/** The file pods run: a small loader of the runtime's parts (see runtimeFiles). */
export const RUNTIME_FILE = 'imagestreams-runtime.js';
/** The runtime script is shipped in parts of at most this many bytes, each in a ConfigMap of its own. */
export const RUNTIME_PART_BYTES = 96 * 1024;
/** The file name of part `i`. */
export const runtimePartFile = (i: number) => `imagestreams-runtime.part-${String(i).padStart(3, '0')}.js`;
export const RUNTIME_PART_FILE = /^imagestreams-runtime\.part-\d{3}\.js$/;

/**
 * Runs the parts, in order, as one CommonJS script. Why parts: `kubectl apply` (client-side) keeps
 * a copy of each object in an annotation, which may hold 256 KiB; one ConfigMap with the whole
 * script would outgrow it as the runtime grows.
 */
const LOADER = `'use strict';
// The imagestreams runtime, shipped in parts (see ${RUNTIME_FILE} in the imagestreams System).
const fs = require('fs'), path = require('path'), vm = require('vm');
const parts = fs.readdirSync(__dirname).filter((n) => ${RUNTIME_PART_FILE.toString()}.test(n)).sort();
const code = parts.map((n) => fs.readFileSync(path.join(__dirname, n), 'utf8')).join('');
vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: path.join(__dirname, 'imagestreams-runtime.bundle.js') })(exports, require, module, __filename, __dirname);
`;

/** The runtime as the files of its ConfigMaps: the loader, then each part (split at line ends), per ConfigMap. */
export function runtimeFiles(): Record<string, string>[] {
  const parts: string[] = [];
  let part = '';
  let partBytes = 0; // counted line by line: measuring the whole part for each line made this quadratic
  for (const line of runtimeBundle().code.split(/(?<=\n)/)) {
    const lineBytes = Buffer.byteLength(line);
    if (part.length > 0 && partBytes + lineBytes > RUNTIME_PART_BYTES) parts.push(part), part = '', partBytes = 0;
    part += line;
    partBytes += lineBytes;
  }
  if (part) parts.push(part);
  return parts.map((code, i) => ({ ...(i === 0 ? { [RUNTIME_FILE]: LOADER } : {}), [runtimePartFile(i)]: code }));
}
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
