import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findControlPlaneBinaries, type ControlPlaneBinaries } from './binaries';
import { createTestCa, type ServingCert } from './certs';
import { ClusterClient, kubeconfigJson, type ClusterInfo } from './client';

/**
 * Starts a real Kubernetes control plane — etcd, kube-apiserver, kube-controller-manager, built by
 * scripts/build-control-plane.sh — in a temp folder on free loopback ports. No kubelet, no
 * scheduler: pods are admitted and stay Pending.
 *
 * - kube-apiserver: RBAC authorization, the default admission plugins (PodSecurity, ServiceAccount,
 *   the admission webhooks, …), static tokens for `admin` (system:masters) and test users, a
 *   service-account issuer and signing key (TokenRequest works), serving certificate from a test CA.
 * - kube-controller-manager: the default controller set (garbage collector, namespace lifecycle,
 *   service accounts and their tokens, Job, CronJob, Deployment, ReplicaSet, …), each controller
 *   with its own service-account credentials, as kubeadm runs it.
 *
 * Processes run in process groups of their own; stop() (or the end of this process, however it
 * ends) kills the groups and removes the folder.
 */

export interface StartClusterOptions {
  /** @default findControlPlaneBinaries() */
  readonly binaries?: ControlPlaneBinaries;
  /** Test users, each with a static token and no groups. @default ['alice', 'mallory'] */
  readonly users?: readonly string[];
  /** Progress lines. @default none */
  readonly log?: (line: string) => void;
}

export interface Cluster extends ClusterClient {
  /** A serving certificate for 127.0.0.1 (or the given hosts) signed by the cluster's test CA. */
  issueServingCert(hosts?: readonly string[]): ServingCert;
  /** Milliseconds from start to ready (apiserver ready, `default` ServiceAccount in `default`). */
  readonly startupMs: number;
  /** The last lines of a component's log (`etcd`, `kube-apiserver`, `kube-controller-manager`). */
  logTail(component: string, lines?: number): string;
  /** Stops every process, then removes the folder. Idempotent. */
  stop(): Promise<void>;
}

export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  const binaries = options.binaries ?? findControlPlaneBinaries();
  const log = options.log ?? (() => {});
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'imagestreams-cluster-'));
  const group = new ProcessGroup(workDir);
  try {
    return await start(binaries, workDir, group, options.users ?? ['alice', 'mallory'], log, started);
  } catch (e) {
    await group.stop();
    throw e;
  }
}

async function start(
  binaries: ControlPlaneBinaries,
  workDir: string,
  group: ProcessGroup,
  users: readonly string[],
  log: (line: string) => void,
  started: number,
): Promise<Cluster> {
  const pki = join(workDir, 'pki');
  const ca = createTestCa(pki);
  const serving = ca.issueServingCert(['127.0.0.1', 'localhost']);
  writeFileSync(join(pki, 'apiserver.crt'), serving.certPem);
  writeFileSync(join(pki, 'apiserver.key'), serving.keyPem, { mode: 0o600 });
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(pki, 'sa.key'), sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(pki, 'sa.pub'), sa.publicKey.export({ type: 'spki', format: 'pem' }));

  const token = () => randomBytes(24).toString('hex');
  const adminToken = token();
  const userTokens: Record<string, string> = {};
  for (const user of users) userTokens[user] = token();
  // token,user,uid[,"group1,group2"]
  const tokenLines = [`${adminToken},admin,admin,"system:masters"`, ...users.map((u) => `${userTokens[u]},${u},${u}`)];
  writeFileSync(join(pki, 'tokens.csv'), `${tokenLines.join('\n')}\n`, { mode: 0o600 });

  const [etcdPort, etcdPeerPort, apiPort] = await freePorts(3);

  // etcd: one member, no fsync (a test cluster dies with its run anyway).
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  const etcd = group.spawn('etcd', binaries.etcd, [
    '--name=default',
    `--data-dir=${join(workDir, 'etcd')}`,
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=default=${peerUrl}`,
    '--unsafe-no-fsync',
    '--log-level=warn',
  ]);
  await group.waitFor(etcd, 'etcd /health', async () => (await httpGet(`${etcdUrl}/health`)).includes('"health":"true"'));
  log(`etcd ready (${Date.now() - started} ms)`);

  const url = `https://127.0.0.1:${apiPort}`;
  const apiserver = group.spawn('kube-apiserver', binaries.kubeApiserver, [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--cert-dir=${pki}`,
    `--tls-cert-file=${join(pki, 'apiserver.crt')}`,
    `--tls-private-key-file=${join(pki, 'apiserver.key')}`,
    `--client-ca-file=${ca.caCertPath}`,
    `--token-auth-file=${join(pki, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    '--anonymous-auth=true',
    // Privileged pods are the PodSecurity admission's to refuse, as on kubeadm clusters.
    '--allow-privileged=true',
    '--service-cluster-ip-range=10.0.0.0/24',
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--api-audiences=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${join(pki, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
    // The `kubernetes` Service gets no endpoints: loopback addresses aren't valid endpoints.
    '--endpoint-reconciler-type=none',
    '--profiling=false',
    '--v=1',
  ]);
  const client = new ClusterClient({
    url,
    caPem: ca.caPem,
    adminToken,
    adminKubeconfigPath: join(workDir, 'admin.kubeconfig'),
    userTokens,
    serviceAccountIssuer: SERVICE_ACCOUNT_ISSUER,
    binDir: binaries.binDir,
    kubectlPath: binaries.kubectl,
    workDir,
  });
  writeFileSync(client.adminKubeconfigPath, kubeconfigJson(url, ca.caPem, adminToken), { mode: 0o600 });
  await group.waitFor(apiserver, 'kube-apiserver /readyz', async () => (await client.request('GET', '/readyz')).status === 200, 60_000);
  log(`kube-apiserver ready (${Date.now() - started} ms)`);

  const controllerManager = group.spawn('kube-controller-manager', binaries.kubeControllerManager, [
    `--kubeconfig=${client.adminKubeconfigPath}`,
    '--leader-elect=false',
    '--secure-port=0',
    '--controllers=*',
    '--use-service-account-credentials=true',
    // Every controller first fetches a token of its own; the default client rate (20/s) makes that
    // most of the start-up time on a fresh cluster.
    '--kube-api-qps=200',
    '--kube-api-burst=400',
    `--service-account-private-key-file=${join(pki, 'sa.key')}`,
    `--root-ca-file=${ca.caCertPath}`,
    '--v=1',
  ]);
  await group.waitFor(
    controllerManager,
    'the default ServiceAccount in namespace default',
    async () => (await client.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
    60_000,
  );
  const startupMs = Date.now() - started;
  log(`kube-controller-manager ready: cluster up in ${startupMs} ms at ${url} (${workDir})`);

  return Object.assign(client, {
    startupMs,
    issueServingCert: (hosts: readonly string[] = ['127.0.0.1', 'localhost']) => ca.issueServingCert(hosts),
    logTail: (component: string, lines?: number) => group.logTail(component, lines),
    stop: () => group.stop(),
  }) as Cluster;
}

interface Member {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logPath: string;
  exited?: string;
}

/** All processes of one cluster; each in its own process group, watched by a watchdog. */
class ProcessGroup {
  private readonly members: Member[] = [];
  private readonly watchdog: ChildProcess;
  private stopping?: Promise<void>;

  constructor(private readonly workDir: string) {
    mkdirSync(join(workDir, 'logs'));
    // When this process dies — even by SIGKILL — the watchdog's stdin reaches EOF: it kills every
    // group it was told about and removes the folder.
    this.watchdog = spawn(
      'sh',
      [
        '-c',
        'pids=; while read -r pid; do pids="$pids $pid"; done; for p in $pids; do kill -KILL "-$p" 2>/dev/null; done; rm -rf -- "$1"',
        'cluster-watchdog',
        workDir,
      ],
      { detached: true, stdio: ['pipe', 'ignore', 'ignore'] },
    );
    this.watchdog.unref();
    (this.watchdog.stdin as unknown as { unref?: () => void }).unref?.();
    live.add(this);
    installExitHandlers();
  }

  spawn(name: string, command: string, args: string[]): Member {
    const logPath = join(this.workDir, 'logs', `${name}.log`);
    const fd = openSync(logPath, 'a');
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], cwd: this.workDir });
    closeSync(fd);
    child.unref();
    const member: Member = { name, child, logPath };
    child.on('error', (e) => (member.exited ??= `failed to start: ${e.message}`));
    child.on('exit', (code, signal) => (member.exited ??= `exited (${signal ?? `code ${code}`})`));
    if (child.pid) this.watchdog.stdin?.write(`${child.pid}\n`);
    this.members.push(member);
    return member;
  }

  /** Polls `check` until true; fails early, with the log's tail, when the process exits. */
  async waitFor(member: Member, what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (member.exited) throw new Error(`${member.name} ${member.exited} before ${what}:\n${this.logTail(member.name)}`);
      try {
        if (await check()) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${this.logTail(member.name)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  logTail(name: string, lines = 40): string {
    try {
      return readFileSync(join(this.workDir, 'logs', `${name}.log`), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Synchronous last resort (process exit): SIGKILL every group. */
  killNow(): void {
    for (const m of this.members) killGroup(m, 'SIGKILL');
    killGroup({ child: this.watchdog } as Member, 'SIGKILL');
    try {
      rmSync(this.workDir, { recursive: true, force: true });
    } catch {
      // the watchdog removes it
    }
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // Controllers first, etcd last: each one's dependencies outlive it.
      for (const m of [...this.members].reverse()) {
        if (m.exited) continue;
        const exited = new Promise<void>((r) => m.child.once('exit', () => r()));
        killGroup(m, 'SIGTERM');
        const timer = new Promise<boolean>((r) => setTimeout(() => r(false), 10_000).unref());
        if ((await Promise.race([exited.then(() => true), timer])) === false) {
          killGroup(m, 'SIGKILL');
          await exited;
        }
      }
      killGroup({ child: this.watchdog } as Member, 'SIGKILL');
      rmSync(this.workDir, { recursive: true, force: true });
      live.delete(this);
    })();
    return this.stopping;
  }
}

function killGroup(member: Pick<Member, 'child'>, signal: NodeJS.Signals): void {
  const pid = member.child.pid;
  if (!pid || member.child.exitCode !== null || member.child.signalCode !== null) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

const live = new Set<ProcessGroup>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const g of live) g.killNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      for (const g of live) g.killNow();
      live.clear();
      // Nobody else handles it: die of it, as without us.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}

/** `n` distinct ports that were free a moment ago (the OS picks them). */
async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const server = net.createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { timeout: 2000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
      })
      .on('error', reject)
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error('timeout'));
      });
  });
}

export type { ClusterInfo };
