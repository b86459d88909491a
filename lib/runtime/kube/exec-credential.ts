import { execFile } from 'node:child_process';
import type { Credentials } from './credentials';

/** A kubeconfig `user.exec` entry (client.authentication.k8s.io v1 or v1beta1). */
export interface ExecConfig {
  readonly apiVersion: string;
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value: string }[];
}

export interface ExecCredentialOptions {
  /** @default 60_000 */
  readonly timeoutMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

interface CachedToken {
  readonly token: string;
  /** Epoch ms; undefined = valid until the server answers 401. */
  readonly expiresAt: number | undefined;
}

/**
 * Runs a credential plugin (aws, gke-gcloud-auth-plugin, kubelogin …) and caches its token until
 * `status.expirationTimestamp`. Concurrent requests share one run of the plugin.
 */
export function execCredentials(config: ExecConfig, options: ExecCredentialOptions = {}): Credentials {
  const now = options.now ?? Date.now;
  let cached: CachedToken | undefined;
  let running: Promise<CachedToken> | undefined;
  return {
    async authorization() {
      if (cached !== undefined && (cached.expiresAt === undefined || now() < cached.expiresAt)) {
        return `Bearer ${cached.token}`;
      }
      running ??= runPlugin(config, options.timeoutMs ?? 60_000).finally(() => (running = undefined));
      cached = await running;
      return `Bearer ${cached.token}`;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

async function runPlugin(config: ExecConfig, timeoutMs: number): Promise<CachedToken> {
  const execInfo = { apiVersion: config.apiVersion, kind: 'ExecCredential', spec: { interactive: false } };
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(execInfo) };
  for (const { name, value } of config.env ?? []) env[name] = value;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(config.command, [...(config.args ?? [])], { env, timeout: timeoutMs }, (error, out, err) => {
      if (error) reject(new Error(`exec credential plugin '${config.command}' failed: ${err.trim() || error.message}`));
      else resolve(out);
    });
  });
  return parseExecCredential(stdout, config);
}

function parseExecCredential(stdout: string, config: ExecConfig): CachedToken {
  const fail = (why: string) => new Error(`exec credential plugin '${config.command}' ${why}`);
  let parsed: { apiVersion?: unknown; kind?: unknown; status?: { token?: unknown; expirationTimestamp?: unknown } };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw fail('printed something that is not JSON');
  }
  if (parsed.kind !== 'ExecCredential' || parsed.apiVersion !== config.apiVersion) {
    throw fail(`must print an ExecCredential of apiVersion '${config.apiVersion}', got ${parsed.kind} ${parsed.apiVersion}`);
  }
  const token = parsed.status?.token;
  if (typeof token !== 'string' || token === '') throw fail('returned no status.token (client certificates are not supported)');
  const expiry = parsed.status?.expirationTimestamp;
  const expiresAt = typeof expiry === 'string' ? Date.parse(expiry) : undefined;
  if (expiresAt !== undefined && Number.isNaN(expiresAt)) throw fail(`returned a bad expirationTimestamp '${expiry}'`);
  return { token, expiresAt };
}
