import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { noCredentials, tokenFile, type Credentials } from './credentials';

/** Everything needed to talk to one API server as one user. */
export interface KubeClientConfig {
  /** `https://host:port` or `http://host:port`, optionally with a path prefix. */
  readonly server: string;
  /** The namespace of the context (or of the pod's service account). */
  readonly namespace: string;
  /** PEM bundle trusted for the server's certificate. @default - Node's built-in CAs */
  readonly ca?: string | Buffer;
  /** @default false */
  readonly insecureSkipTlsVerify?: boolean;
  /** PEM client certificate and key (kubeconfig `client-certificate`/`client-key`). */
  readonly clientCert?: string | Buffer;
  readonly clientKey?: string | Buffer;
  /** @default - no Authorization header */
  readonly credentials?: Credentials;
  /** Deadline of one non-watch request. @default 30_000 */
  readonly requestTimeoutMs?: number;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default '/var/run/secrets/kubernetes.io/serviceaccount' */
  readonly serviceAccountDir?: string;
  /** How long a read token is reused before the (rotating) file is read again. @default 60_000 */
  readonly tokenMaxAgeMs?: number;
}

/** The pod's own service account, as every in-cluster client finds it. */
export function loadInClusterConfig(options: InClusterOptions = {}): KubeClientConfig {
  const env = options.env ?? process.env;
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new Error('not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set');
  }
  const tokenPath = join(dir, 'token');
  const caPath = join(dir, 'ca.crt');
  const namespacePath = join(dir, 'namespace');
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    namespace: existsSync(namespacePath) ? readFileSync(namespacePath, 'utf8').trim() : 'default',
    ca: existsSync(caPath) ? readFileSync(caPath) : undefined,
    credentials: existsSync(tokenPath) ? tokenFile(tokenPath, { maxAgeMs: options.tokenMaxAgeMs }) : noCredentials(),
  };
}
