import { ChildProcess, spawn } from 'node:child_process';
import { promises as fs, openSync, closeSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, run } from './exec';
import { startTokenServer, TokenServer } from './token-server';

export type RegistryAuth = 'none' | 'htpasswd' | 'token';

export interface RegistryOptions {
  /** @default 'none' */
  readonly auth?: RegistryAuth;
  /** user name → password for htpasswd and token auth. @default { alice: 'wonderland' } */
  readonly users?: Readonly<Record<string, string>>;
  /** Token auth only: anonymous clients may pull. @default false */
  readonly anonymousPull?: boolean;
  /** Token auth only: lifetime of each token. @default 300 */
  readonly tokenExpiresInSeconds?: number;
  /**
   * `address:port` to listen on, e.g. an address of the loopback range at the port a cluster
   * Service would have. @default - a free port on 127.0.0.1
   */
  readonly listen?: string;
  /** Serve https with this certificate and key (PEM files), e.g. from test/support/registry/test-ca.ts. @default - plain http */
  readonly tls?: { readonly certificate: string; readonly key: string };
  /** The `notifications` section of the registry's config (see ./notifications.ts). @default - none */
  readonly notifications?: object;
  /** Keep the storage here (left in place on close), e.g. to serve one storage from two registries in turn. @default - a temp dir of its own */
  readonly storageRoot?: string;
  /** REGISTRY_* variables overriding the config, as a pod's env does (e.g. REGISTRY_STORAGE_MAINTENANCE_READONLY). @default - none */
  readonly env?: Readonly<Record<string, string>>;
}

/** One line of the registry's access log. */
export interface AccessLogEntry {
  readonly method: string;
  /** Request URI including any query. */
  readonly path: string;
  readonly status: number;
}

export interface RunningRegistry {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** `http://127.0.0.1:PORT` (https with `tls`) */
  readonly url: string;
  readonly users: Readonly<Record<string, string>>;
  /** The token server, for auth 'token'. */
  readonly tokenServer?: TokenServer;
  /** The registry's filesystem storage root (`storage.filesystem.rootdirectory`): its blob store and repositories. */
  readonly storageRoot: string;
  /** The registry's config file (JSON, which is YAML). */
  readonly configPath: string;
  /** Runs `docker-registry garbage-collect` on this registry's config (nothing may push meanwhile); resolves to its output. */
  garbageCollect(options?: { readonly deleteUntagged?: boolean }): Promise<string>;
  /** Every request the registry has finished, oldest first. */
  accessLog(): Promise<AccessLogEntry[]>;
  close(): Promise<void>;
}

const ACCESS_LINE = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3})/;
const SYNC_PATH = '/v2/?access-log-sync=';
const START_ATTEMPTS = 3;

/** The real CNCF distribution registry (`/usr/bin/docker-registry`) on loopback, storage in a temp dir. */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'registry-'));
  const users = options.users ?? { alice: 'wonderland' };
  const tokenServer = options.auth === 'token' ? await startTokenServer({
    issuer: 'test-issuer', service: 'test-registry', users,
    anonymousPull: options.anonymousPull, expiresInSeconds: options.tokenExpiresInSeconds,
  }) : undefined;
  try {
    const auth = await authConfig(options.auth ?? 'none', dir, users, tokenServer);
    const storageRoot = options.storageRoot ?? path.join(dir, 'data');
    const { child, host } = await startOnFreePort(dir, auth, options.listen, options.tls, options.notifications, { storageRoot, env: options.env });
    return handle(child, host, dir, users, tokenServer, options.tls ? 'https' : 'http', storageRoot);
  } catch (err) {
    await tokenServer?.close();
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function authConfig(auth: RegistryAuth, dir: string, users: Readonly<Record<string, string>>, tokenServer?: TokenServer) {
  if (auth === 'htpasswd') {
    const lines = await Promise.all(Object.entries(users).map(([u, p]) => run('htpasswd', ['-Bbn', u, p])));
    const file = path.join(dir, 'htpasswd');
    await fs.writeFile(file, lines.map((l) => l.trim()).join('\n') + '\n');
    return { htpasswd: { realm: 'test-registry', path: file } };
  }
  if (auth === 'token' && tokenServer) {
    const { realm, service, issuer, certificatePath } = tokenServer;
    return { token: { realm, service, issuer, rootcertbundle: certificatePath } };
  }
  return undefined;
}

/** Another process may take the port between our probe and the registry's bind: try a few. */
async function startOnFreePort(
  dir: string, auth: object | undefined, listen: string | undefined, tls: RegistryOptions['tls'], notifications: object | undefined,
  storage: { storageRoot: string; env?: Readonly<Record<string, string>> },
): Promise<{ child: ChildProcess; host: string }> {
  for (let attempt = 1; ; attempt++) {
    const host = listen ?? `127.0.0.1:${await freePort()}`;
    const configPath = path.join(dir, 'config.yml');
    await fs.writeFile(configPath, JSON.stringify({ ...config(host, dir, auth, tls, storage.storageRoot), ...(notifications ? { notifications } : {}) })); // JSON is YAML
    const logFd = openSync(path.join(dir, 'registry.log'), 'w');
    const child = spawn('/usr/bin/docker-registry', ['serve', configPath], { stdio: ['ignore', logFd, logFd], env: { ...process.env, ...storage.env } });
    closeSync(logFd);
    if (await becomesReady(child, `${tls ? 'https' : 'http'}://${host}`)) return { child, host };
    child.kill('SIGKILL');
    if (attempt >= START_ATTEMPTS || listen) {
      throw new Error(`docker-registry did not start: ${await fs.readFile(path.join(dir, 'registry.log'), 'utf8')}`);
    }
  }
}

function config(host: string, dir: string, auth: object | undefined, tls: RegistryOptions['tls'], storageRoot: string): object {
  return {
    version: 0.1,
    log: { level: 'info', accesslog: { disabled: false } },
    storage: { filesystem: { rootdirectory: storageRoot }, delete: { enabled: true } },
    http: { addr: host, secret: 'test-only-secret', ...(tls ? { tls: { certificate: tls.certificate, key: tls.key } } : {}) },
    ...(auth ? { auth } : {}),
  };
}

/** Polls /v2/ until the registry answers (200, or 401 with auth) or exits. */
async function becomesReady(child: ChildProcess, base: string): Promise<boolean> {
  for (let i = 0; i < 100 && child.exitCode === null; i++) {
    if ((await probe(`${base}/v2/`)) !== undefined) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

function probe(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    // The fixture's own CA is not this process's: the probe only asks whether it answers.
    const get = url.startsWith('https:') ? (u: string, cb: (res: http.IncomingMessage) => void) => https.get(u, { agent: false, rejectUnauthorized: false }, cb) : (u: string, cb: (res: http.IncomingMessage) => void) => http.get(u, { agent: false }, cb);
    const req = get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
  });
}

function handle(child: ChildProcess, host: string, dir: string, users: Readonly<Record<string, string>>, tokenServer: TokenServer | undefined, scheme: string, storageRoot: string): RunningRegistry {
  let syncs = 0;
  const logFile = path.join(dir, 'registry.log');
  return {
    host,
    url: `${scheme}://${host}`,
    users,
    tokenServer,
    storageRoot,
    configPath: path.join(dir, 'config.yml'),
    garbageCollect: (options = {}) => run('/usr/bin/docker-registry', ['garbage-collect', ...(options.deleteUntagged ? ['--delete-untagged'] : []), path.join(dir, 'config.yml')]),
    async accessLog() {
      // The registry writes a line after it answers; a marker request we wait for flushes earlier ones.
      const marker = `${SYNC_PATH}${++syncs}`;
      await probe(`${scheme}://${host}${marker}`);
      for (let i = 0; i < 100; i++) {
        const entries = parseAccessLog(await fs.readFile(logFile, 'utf8'));
        if (entries.some((e) => e.path === marker)) return entries.filter((e) => !e.path.startsWith(SYNC_PATH));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`the registry's access log never showed ${marker}`);
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await tokenServer?.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

function parseAccessLog(text: string): AccessLogEntry[] {
  const entries: AccessLogEntry[] = [];
  for (const line of text.split('\n')) {
    const match = ACCESS_LINE.exec(line);
    if (match) entries.push({ method: match[1], path: match[2], status: Number(match[3]) });
  }
  return entries;
}
