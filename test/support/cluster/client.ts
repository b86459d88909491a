import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import { join } from 'node:path';

/**
 * What a test needs to reach the cluster; plain data, so vitest's provide/inject (and the
 * global setup's broker) can hand it from the main process to the test workers.
 */
export interface ClusterInfo {
  /** `https://127.0.0.1:<port>` of kube-apiserver. */
  readonly url: string;
  /** The test CA that signed the apiserver's serving certificate. */
  readonly caPem: string;
  /** A static token of `admin` (group `system:masters`). */
  readonly adminToken: string;
  /** A kubeconfig (JSON) for `admin`, namespace `default`. */
  readonly adminKubeconfigPath: string;
  /** Static tokens of the test users (`alice`, `mallory`): authenticated, no groups, no RBAC bindings. */
  readonly userTokens: Readonly<Record<string, string>>;
  /** The service-account token issuer (and the default audience of `tokenFor`). */
  readonly serviceAccountIssuer: string;
  /** The folder of the built binaries (kubectl, kube-apiserver, … and tekton-admission when built). */
  readonly binDir: string;
  readonly kubectlPath: string;
  /** The cluster's temp folder; removed when it stops. */
  readonly workDir: string;
}

export interface KubectlOptions {
  /** @default the admin kubeconfig */
  readonly kubeconfig?: string;
  /** Written to kubectl's stdin (for `-f -`). */
  readonly input?: string;
}

export interface KubectlResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** kubectl exited non-zero; `stderr` says why (e.g. `Error from server (Forbidden)`). */
export class KubectlError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`kubectl ${args.join(' ')} exited ${code}: ${stderr.trim() || stdout.trim()}`);
    this.name = 'KubectlError';
  }
}

export interface RequestOptions {
  /** @default the admin token; `null` sends no Authorization header. */
  readonly token?: string | null;
  /** JSON-encoded unless a string. */
  readonly body?: unknown;
  /** @default application/json (application/merge-patch+json for PATCH) */
  readonly contentType?: string;
}

export interface ApiResponse<T = any> {
  readonly status: number;
  /** The parsed JSON body (the raw text when it isn't JSON). */
  readonly body: T;
}

/** A Kubernetes API error response (a `Status`). */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: any,
  ) {
    super(`${method} ${path}: ${status} ${typeof body === 'object' && body?.message ? body.message : JSON.stringify(body)}`);
    this.name = 'ApiError';
  }
}

/** The test-side view of a running cluster: raw API requests, kubectl, kubeconfigs, namespaces, tokens. */
export class ClusterClient implements ClusterInfo {
  readonly url: string;
  readonly caPem: string;
  readonly adminToken: string;
  readonly adminKubeconfigPath: string;
  readonly userTokens: Readonly<Record<string, string>>;
  readonly serviceAccountIssuer: string;
  readonly binDir: string;
  readonly kubectlPath: string;
  readonly workDir: string;
  private readonly agent: https.Agent;

  constructor(info: ClusterInfo) {
    this.url = info.url;
    this.caPem = info.caPem;
    this.adminToken = info.adminToken;
    this.adminKubeconfigPath = info.adminKubeconfigPath;
    this.userTokens = info.userTokens;
    this.serviceAccountIssuer = info.serviceAccountIssuer;
    this.binDir = info.binDir;
    this.kubectlPath = info.kubectlPath;
    this.workDir = info.workDir;
    this.agent = new https.Agent({ ca: info.caPem });
  }

  /** The plain data, for provide/inject. */
  info(): ClusterInfo {
    const { url, caPem, adminToken, adminKubeconfigPath, userTokens, serviceAccountIssuer, binDir, kubectlPath, workDir } = this;
    return { url, caPem, adminToken, adminKubeconfigPath, userTokens, serviceAccountIssuer, binDir, kubectlPath, workDir };
  }

  /** The static token of a test user (`alice`, `mallory`). */
  userToken(name: string): string {
    const token = this.userTokens[name];
    if (!token) throw new Error(`no test user ${name} (there are: ${Object.keys(this.userTokens).join(', ')})`);
    return token;
  }

  /** One API request; resolves with any status (see `api` for one that throws on errors). */
  request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const token = options.token === undefined ? this.adminToken : options.token;
    const body =
      options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? (method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
    }
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(path, this.url), { method, headers, agent: this.agent, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON (e.g. /readyz)
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30s`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** One API request that must succeed (2xx); resolves with the body, rejects with an ApiError. */
  async api<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.request<T>(method, path, options);
    if (res.status < 200 || res.status > 299) throw new ApiError(method, path, res.status, res.body);
    return res.body;
  }

  /** A kubeconfig (JSON) for `token`, in the cluster's folder; the same path for the same arguments. */
  kubeconfigFor(token: string, options: { namespace?: string } = {}): string {
    const namespace = options.namespace ?? 'default';
    const dir = join(this.workDir, 'kubeconfigs');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${createHash('sha256').update(`${token}\n${namespace}`).digest('hex').slice(0, 16)}.json`);
    writeFileSync(path, kubeconfigJson(this.url, this.caPem, token, namespace), { mode: 0o600 });
    return path;
  }

  /** Runs the built kubectl (admin unless `kubeconfig` says otherwise); rejects with a KubectlError. */
  kubectl(args: readonly string[], options: KubectlOptions = {}): Promise<KubectlResult> {
    // kubectl caches discovery per host:port for hours; ports are reused between clusters.
    const fullArgs = ['--kubeconfig', options.kubeconfig ?? this.adminKubeconfigPath, '--cache-dir', join(this.workDir, 'kubectl-cache'), ...args];
    const env = { ...process.env };
    delete env.KUBECONFIG;
    return new Promise((resolve, reject) => {
      const child = execFile(this.kubectlPath, fullArgs, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) {
          const code = typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null;
          reject(new KubectlError(args, code, stdout, stderr));
        } else resolve({ stdout, stderr });
      });
      child.stdin?.end(options.input);
    });
  }

  /**
   * Creates a namespace (as admin) and waits for its `default` ServiceAccount, without which the
   * API server refuses pods in it.
   */
  async createNamespace(name: string, labels: Record<string, string> = {}): Promise<string> {
    await this.api('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } });
    await this.waitFor(`ServiceAccount ${name}/default`, async () => {
      const res = await this.request('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`);
      return res.status === 200;
    });
    return name;
  }

  /** A token of the ServiceAccount (which must exist), from the TokenRequest API. */
  async tokenFor(
    namespace: string,
    serviceAccount: string,
    options: { audiences?: string[]; expirationSeconds?: number } = {},
  ): Promise<string> {
    const review = await this.api('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { audiences: options.audiences ?? [this.serviceAccountIssuer], expirationSeconds: options.expirationSeconds ?? 3600 },
      },
    });
    return review.status.token as string;
  }

  /** Polls `check` every 100 ms until it is true; rejects after `timeoutMs`. */
  async waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        if (await check()) return;
      } catch (e) {
        lastError = e;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function kubeconfigJson(server: string, caPem: string, token: string, namespace = 'default'): string {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
      users: [{ name: 'user', user: { token } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'user', namespace } }],
      'current-context': 'test',
    },
    null,
    2,
  );
}
