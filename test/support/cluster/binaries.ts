import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where scripts/build-control-plane.sh put the control plane built from the Go modules in
 * test/cluster/. The key is computed here exactly as the script computes it (keep KEY_FORMAT and
 * the hashing in step with the script), so a stale build is never picked up after a module
 * changed: the binaries of the checked-out sources, or an error.
 */

const KEY_FORMAT = 'control-plane-cache-v1';
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const MODULES_DIR = join(REPO_ROOT, 'test', 'cluster');

export interface ControlPlaneBinaries {
  /** The folder that holds all of them (and `tekton-admission` when its module exists). */
  readonly binDir: string;
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubectl: string;
  /** Present when test/cluster/tekton-admission exists. */
  readonly tektonAdmission?: string;
}

/** `${IMAGESTREAMS_CONTROL_PLANE_CACHE:-$HOME/.cache/cdk8s-imagestreams/control-plane}`, as the script. */
export function controlPlaneCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.IMAGESTREAMS_CONTROL_PLANE_CACHE || join(env.HOME || homedir(), '.cache', 'cdk8s-imagestreams', 'control-plane');
}

/** The modules the script builds, in its order. */
export function controlPlaneModules(): string[] {
  const modules = ['control-plane', 'etcd'];
  if (existsSync(join(MODULES_DIR, 'tekton-admission', 'go.mod'))) modules.push('tekton-admission');
  return modules;
}

/**
 * The script's `module_key`: SHA-256 of the `sha256sum` listing (`<hex>  ./<path>`) of the
 * module's files, hidden ones excepted, sorted bytewise by path.
 */
export function moduleKey(moduleDir: string): string {
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(moduleDir, rel), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(`./${path}`);
    }
  };
  walk('');
  files.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const listing = files
    .map((f) => `${createHash('sha256').update(readFileSync(join(moduleDir, f))).digest('hex')}  ${f}\n`)
    .join('');
  return createHash('sha256').update(listing).digest('hex');
}

/** The key of the combined bin folder: the first 16 hex digits of the script's `key_text`. */
export function controlPlaneKey(): string {
  let text = `${KEY_FORMAT}\n`;
  for (const m of controlPlaneModules()) text += `${m} ${moduleKey(join(MODULES_DIR, m))}\n`;
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The binaries of the checked-out test/cluster modules. Throws, saying how to build them, when
 * they are missing; there is deliberately no fallback (the stand-in is not a Kubernetes).
 */
export function findControlPlaneBinaries(): ControlPlaneBinaries {
  const cache = controlPlaneCacheDir();
  const key = controlPlaneKey();
  const binDir = join(cache, key, 'bin');
  const complete = existsSync(join(cache, key, 'build-info.json'));
  const bin = (name: string) => join(binDir, name);
  const required = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kubectl'];
  const tekton = controlPlaneModules().includes('tekton-admission');
  if (tekton) required.push('tekton-admission');
  const missing = complete ? required.filter((name) => !existsSync(bin(name))) : required;
  if (missing.length > 0) {
    throw new Error(
      `The test control plane is not built for the current test/cluster modules (missing in ${binDir}: ` +
        `${missing.join(', ')}). Run scripts/install-test-deps.sh (or scripts/build-control-plane.sh) — ` +
        'it builds etcd, kube-apiserver, kube-controller-manager and kubectl from their Go modules; the ' +
        'first build takes many minutes, later runs reuse it.',
    );
  }
  return {
    binDir,
    etcd: bin('etcd'),
    kubeApiserver: bin('kube-apiserver'),
    kubeControllerManager: bin('kube-controller-manager'),
    kubectl: bin('kubectl'),
    tektonAdmission: tekton ? bin('tekton-admission') : undefined,
  };
}
