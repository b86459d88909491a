import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { KubeClientConfig } from './config';
import { basicAuth, bearerToken, noCredentials, tokenFile, type Credentials } from './credentials';
import { execCredentials, type ExecConfig } from './exec-credential';

export interface KubeconfigOptions {
  /** One kubeconfig file. @default - $KUBECONFIG (':'-separated, merged) or ~/.kube/config */
  readonly path?: string;
  /** @default - the kubeconfig's current-context */
  readonly context?: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

type Entry = Record<string, unknown>;
/** An entry and the folder of the file that defined it, against which its relative paths resolve. */
interface Located {
  readonly value: Entry;
  readonly dir: string;
}

interface Merged {
  readonly clusters: Map<string, Located>;
  readonly users: Map<string, Located>;
  readonly contexts: Map<string, Located>;
  currentContext?: string;
}

/** Reads kubeconfig the way kubectl does (simplified): among several files, the first to define a name wins. */
export function loadKubeconfig(options: KubeconfigOptions = {}): KubeClientConfig {
  const env = options.env ?? process.env;
  const paths = options.path !== undefined ? [options.path] : kubeconfigPaths(env);
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length === 0) throw new Error(`no kubeconfig found (looked at ${paths.join(', ')})`);
  const merged = mergeFiles(existing);
  const contextName = options.context ?? merged.currentContext;
  if (!contextName) throw new Error(`kubeconfig has no current-context: set one or pass a context (${existing.join(', ')})`);
  return toClientConfig(merged, contextName, existing);
}

export function kubeconfigPaths(env: NodeJS.ProcessEnv): string[] {
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  return list.length > 0 ? list : [join(env.HOME ?? homedir(), '.kube', 'config')];
}

function mergeFiles(paths: readonly string[]): Merged {
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const path of paths) {
    const doc = asObject(readYaml(path) ?? {}, path);
    const dir = dirname(resolve(path));
    addNamed(merged.clusters, doc.clusters, 'cluster', dir, path);
    addNamed(merged.users, doc.users, 'user', dir, path);
    addNamed(merged.contexts, doc.contexts, 'context', dir, path);
    const current = doc['current-context'];
    if (typeof current === 'string' && current !== '') merged.currentContext ??= current;
  }
  return merged;
}

function addNamed(into: Map<string, Located>, list: unknown, key: string, dir: string, path: string): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw new Error(`${path}: '${key}s' must be a list`);
  for (const item of list) {
    const named = asObject(item, path);
    if (typeof named.name !== 'string') throw new Error(`${path}: every entry of '${key}s' needs a 'name'`);
    if (!into.has(named.name)) into.set(named.name, { value: asObject(named[key] ?? {}, path), dir });
  }
}

function toClientConfig(merged: Merged, contextName: string, paths: readonly string[]): KubeClientConfig {
  const where = `in kubeconfig (${paths.join(', ')})`;
  const context = merged.contexts.get(contextName)?.value;
  if (!context) throw new Error(`context '${contextName}' not found ${where}`);
  const cluster = merged.clusters.get(String(context.cluster));
  if (!cluster) throw new Error(`cluster '${context.cluster}' of context '${contextName}' not found ${where}`);
  const user = context.user === undefined ? undefined : merged.users.get(String(context.user));
  if (context.user !== undefined && !user) throw new Error(`user '${context.user}' of context '${contextName}' not found ${where}`);
  const server = cluster.value.server;
  if (typeof server !== 'string' || server === '') throw new Error(`cluster '${context.cluster}' has no server ${where}`);
  return {
    server,
    namespace: typeof context.namespace === 'string' && context.namespace !== '' ? context.namespace : 'default',
    ca: pem(cluster, 'certificate-authority'),
    insecureSkipTlsVerify: cluster.value['insecure-skip-tls-verify'] === true,
    clientCert: user && pem(user, 'client-certificate'),
    clientKey: user && pem(user, 'client-key'),
    credentials: user ? credentialsOf(user) : noCredentials(),
  };
}

/** `X-data` (base64) wins over `X` (a file path, relative to its kubeconfig), as in kubectl. */
function pem(entry: Located, key: string): Buffer | undefined {
  const data = entry.value[`${key}-data`];
  if (typeof data === 'string' && data !== '') return Buffer.from(data, 'base64');
  const file = entry.value[key];
  if (typeof file === 'string' && file !== '') return readFileSync(relativeTo(entry.dir, file));
  return undefined;
}

function credentialsOf(user: Located): Credentials {
  const u = user.value;
  if (typeof u.token === 'string' && u.token !== '') return bearerToken(u.token);
  if (typeof u.tokenFile === 'string' && u.tokenFile !== '') return tokenFile(relativeTo(user.dir, u.tokenFile));
  if (typeof u.username === 'string') return basicAuth(u.username, typeof u.password === 'string' ? u.password : '');
  if (u.exec !== undefined && u.exec !== null) return execCredentials(execConfigOf(asObject(u.exec, 'exec'), user.dir));
  return noCredentials();
}

function execConfigOf(exec: Entry, dir: string): ExecConfig {
  if (typeof exec.command !== 'string' || exec.command === '') throw new Error(`kubeconfig 'exec' needs a 'command'`);
  if (typeof exec.apiVersion !== 'string') throw new Error(`kubeconfig 'exec' needs an 'apiVersion'`);
  // kubectl resolves a command that names a path (has a slash) against the kubeconfig's folder.
  const command = exec.command.includes('/') ? relativeTo(dir, exec.command) : exec.command;
  const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
  const env = Array.isArray(exec.env) ? exec.env.map((e) => asObject(e, 'exec.env')).map((e) => ({ name: String(e.name), value: String(e.value) })) : [];
  return { apiVersion: exec.apiVersion, command, args, env };
}

function relativeTo(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

function asObject(value: unknown, where: string): Entry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: expected a mapping`);
  return value as Entry;
}

/** A kubeconfig file's YAML; a file that is none is named with the parser's first line. */
function readYaml(path: string): unknown {
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not a kubeconfig, its YAML does not parse: ${(e as Error).message.split('\n')[0]}`);
  }
}
