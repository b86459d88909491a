import { RegistryError } from './errors';
import { canonicalRegistry } from '../../api/image-reference';

/** A user name and password (or token) for a registry. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** The `auths` map of a `kubernetes.io/dockerconfigjson` secret (`~/.docker/config.json` format). */
export interface DockerConfig {
  readonly auths: Readonly<Record<string, DockerAuthEntry>>;
}

export interface DockerAuthEntry {
  /** base64 of `username:password`; wins over the separate fields. */
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
}

/** The parts of a Secret we read; `data` values are base64 as the API returns them. */
export interface PullSecret {
  readonly metadata?: { readonly name?: string };
  readonly type?: string;
  readonly data?: Readonly<Record<string, string>>;
}

const DOCKER_CONFIG_JSON_KEY = '.dockerconfigjson';

/** Reads the docker config out of a `kubernetes.io/dockerconfigjson` Secret. */
export function dockerConfigFromSecret(secret: PullSecret): DockerConfig {
  const name = secret.metadata?.name ?? '(unnamed)';
  const encoded = secret.data?.[DOCKER_CONFIG_JSON_KEY];
  if (encoded === undefined) {
    throw new RegistryError('InvalidPullSecret', `secret "${name}" has no "${DOCKER_CONFIG_JSON_KEY}" key`);
  }
  return parseDockerConfig(Buffer.from(encoded, 'base64').toString('utf8'), `secret "${name}"`);
}

/** Parses config.json text; `source` names it in error messages. */
export function parseDockerConfig(text: string, source: string): DockerConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // Never the parser's message: V8 quotes the text around the error, which is a secret.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new RegistryError('InvalidPullSecret', `${source} is not valid JSON${at ? ` (at character ${at})` : ''}: its content is not shown, it holds credentials`);
  }
  const auths = (parsed as { auths?: unknown } | null)?.auths;
  if (typeof auths !== 'object' || auths === null || Array.isArray(auths)) {
    throw new RegistryError('InvalidPullSecret', `${source} has no "auths" object`);
  }
  return { auths: auths as Record<string, DockerAuthEntry> };
}

/**
 * The credentials for a registry host (`docker.io`, `host:port`). Keys may be written as URLs
 * (`https://index.docker.io/v1/`, `http://host:5000/v2/`) or bare hosts, as docker login writes them.
 */
export function credentialsFor(config: DockerConfig, registry: string): BasicCredentials | undefined {
  const wanted = canonicalRegistry(registry.toLowerCase());
  for (const [key, entry] of Object.entries(config.auths)) {
    if (authKeyHost(key) !== wanted) continue;
    const credentials = entryCredentials(entry);
    if (credentials) return credentials;
  }
  return undefined;
}

/** `Authorization` header value for basic auth. */
export function basicAuthorization(credentials: BasicCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

function authKeyHost(key: string): string {
  const host = key.trim().replace(/^[a-z]+:\/\//i, '').split('/')[0];
  return canonicalRegistry(host.toLowerCase());
}

function entryCredentials(entry: DockerAuthEntry): BasicCredentials | undefined {
  if (typeof entry?.auth === 'string' && entry.auth.length > 0) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry?.username === 'string' && typeof entry.password === 'string') {
    return { username: entry.username, password: entry.password };
  }
  return undefined;
}
