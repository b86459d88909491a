import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Tekton, minus its controllers and pods, in the test cluster:
 *
 * - the CRDs of Tekton Pipelines and Tekton Triggers, as released in their Go modules
 *   (github.com/tektoncd/pipeline and github.com/tektoncd/triggers at the versions of
 *   test/cluster/tekton-admission/go.mod), read from the Go module cache;
 * - Tekton's admission: `tekton-admission serve` (test/cluster/tekton-admission, built by
 *   scripts/build-control-plane.sh) runs Tekton's own SetDefaults and Validate, and is registered
 *   with the apiserver as a mutating and a validating webhook (a `url` clientConfig on loopback,
 *   the test CA's serving certificate), failurePolicy Fail. So every Tekton object a test creates,
 *   applies or dry-runs is defaulted and validated by Tekton's code, with Tekton's messages.
 */

interface TektonCluster {
  readonly url: string;
  readonly caPem: string;
  readonly adminKubeconfigPath: string;
  kubectl(args: string[], opts?: { input?: string }): Promise<{ stdout: string; stderr: string }>;
  readonly binDir: string;
  readonly workDir: string;
  issueServingCert(hosts: string[]): { certPem: string; keyPem: string; caPem: string };
}

const MODULE_DIR = resolve(__dirname, '..', '..', 'cluster', 'tekton-admission');
const PIPELINE_MODULE = 'github.com/tektoncd/pipeline';
const TRIGGERS_MODULE = 'github.com/tektoncd/triggers';
/** Names of the webhook configurations (and, with a prefix, of their webhooks). */
export const TEKTON_WEBHOOK_NAME = 'tekton-admission.imagestreams.test';

export async function installTekton(cluster: {
  url: string;
  caPem: string;
  adminKubeconfigPath: string;
  kubectl: (args: string[], opts?: { input?: string }) => Promise<{ stdout: string; stderr: string }>;
  binDir: string;
  workDir: string;
  issueServingCert(hosts: string[]): { certPem: string; keyPem: string; caPem: string };
}): Promise<{ stop(): Promise<void> }> {
  const binary = join(cluster.binDir, 'tekton-admission');
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: scripts/build-control-plane.sh builds it from test/cluster/tekton-admission`);
  }
  const modules = await tektonModuleDirs();
  const dir = join(cluster.workDir, 'tekton');
  mkdirSync(dir, { recursive: true });

  // (a) the CRDs, and the server at the same time (they don't depend on each other).
  const crdsReady = applyCrds(cluster, modules);
  const server = await startServer(cluster, binary, dir, modules);
  try {
    await crdsReady;
    // (c) the webhook registrations, live once a known-bad object is refused.
    const kinds = await tektonKinds(binary);
    await cluster.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=tekton-install', '-f', '-'], {
      input: webhookConfigurations(server.url, cluster.caPem, kinds),
    });
    await waitUntilLive(cluster, server);
  } catch (e) {
    await server.stop();
    throw e;
  }

  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        // Unregister first: with failurePolicy Fail, a registration without its server would refuse
        // every Tekton write of whoever still uses the cluster. Best effort: the cluster may be gone.
        await cluster
          .kubectl([
            'delete', '--ignore-not-found', '--wait=false', '--request-timeout=5s',
            `mutatingwebhookconfiguration/${TEKTON_WEBHOOK_NAME}`, `validatingwebhookconfiguration/${TEKTON_WEBHOOK_NAME}`,
          ])
          .catch(() => undefined);
        await server.stop();
      })()),
  };
}

interface ModuleDirs {
  readonly pipeline: string;
  readonly triggers: string;
}

/** The module cache folders of the Tekton modules the admission program is built with. */
async function tektonModuleDirs(): Promise<ModuleDirs> {
  const list = async () => {
    const { stdout } = await run(goBinary(), ['list', '-m', '-f', '{{.Path}} {{.Dir}}', PIPELINE_MODULE, TRIGGERS_MODULE], MODULE_DIR);
    const dirs = new Map(stdout.trim().split('\n').map((line) => line.split(' ', 2) as [string, string]));
    return { pipeline: dirs.get(PIPELINE_MODULE) ?? '', triggers: dirs.get(TRIGGERS_MODULE) ?? '' };
  };
  let dirs = await list();
  if (!dirs.pipeline || !dirs.triggers) {
    // Not in the module cache yet (the build downloads them; a cleaned cache doesn't have them).
    await run(goBinary(), ['mod', 'download', PIPELINE_MODULE, TRIGGERS_MODULE], MODULE_DIR);
    dirs = await list();
  }
  for (const [name, d] of Object.entries(dirs)) {
    if (!d || !existsSync(join(d, 'config'))) throw new Error(`Tekton ${name} module not found in the Go module cache (go list -m gave ${JSON.stringify(d)})`);
  }
  return dirs;
}

function goBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'go'))) return join(dir, 'go');
  }
  if (existsSync('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error('Go is needed to locate the Tekton modules (it built the test control plane)');
}

/** Every CustomResourceDefinition of the two releases' config folders, conversion set to None. */
function tektonCrds(modules: ModuleDirs): any[] {
  const files = [
    ...yamlFiles(join(modules.pipeline, 'config', '300-crds')),
    // Triggers keeps its CRDs at the top of config/ (300-*.yaml), next to RBAC and deployments.
    ...yamlFiles(join(modules.triggers, 'config')).filter((f) => /\/300-[^/]*\.ya?ml$/.test(f)),
  ];
  const crds: any[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      // Tekton's CRDs convert between their versions (v1beta1 ⇄ v1) with a conversion webhook, a
      // Service in tekton-pipelines served by Tekton's webhook Deployment. No Tekton controller or
      // webhook Deployment runs here (nothing runs pods), and we only use one version of each kind
      // (tekton.dev/v1, triggers.tekton.dev/v1beta1), so no conversion ever has to happen: with the
      // webhook strategy left in, every read of a stored object in another version would fail.
      crd.spec.conversion = { strategy: 'None' };
      crds.push(crd);
    }
  }
  if (crds.length < 10) throw new Error(`found only ${crds.length} Tekton CRDs in ${modules.pipeline} and ${modules.triggers}`);
  return crds;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

async function applyCrds(cluster: TektonCluster, modules: ModuleDirs): Promise<void> {
  const crds = tektonCrds(modules);
  // Server-side: the Tekton CRDs are too big for client-side apply's last-applied annotation.
  await cluster.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=tekton-install', '-f', '-'], {
    input: crds.map((c) => JSON.stringify(c)).join('\n---\n'),
  });
  await cluster.kubectl([
    'wait', '--for=condition=Established', '--timeout=60s',
    ...crds.map((c) => `customresourcedefinition/${c.metadata.name}`),
  ]);
}

interface Kind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
}

/** The kinds the admission program handles (`tekton-admission kinds`: Tekton's webhooks' tables). */
async function tektonKinds(binary: string): Promise<Kind[]> {
  const { stdout } = await run(binary, ['kinds']);
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [group, version, kind, plural] = line.split(' ');
      return { group, version, kind, plural };
    });
}

/**
 * The two registrations, as Tekton's webhooks register themselves: CREATE and UPDATE of every kind
 * and of its status subresource, failurePolicy Fail, no side effects, AdmissionReview v1;
 * the defaulting webhook may be called again after other mutations (reinvocationPolicy IfNeeded).
 */
function webhookConfigurations(serverUrl: string, caPem: string, kinds: readonly Kind[]): string {
  const byGroupVersion = new Map<string, Kind[]>();
  for (const k of kinds) {
    const key = `${k.group}/${k.version}`;
    byGroupVersion.set(key, [...(byGroupVersion.get(key) ?? []), k]);
  }
  const rules = [...byGroupVersion.entries()].sort().map(([, ks]) => ({
    apiGroups: [ks[0].group],
    apiVersions: [ks[0].version],
    operations: ['CREATE', 'UPDATE'],
    resources: ks.flatMap((k) => [k.plural, `${k.plural}/status`]).sort(),
    scope: '*',
  }));
  const webhook = (name: string, path: string) => ({
    name: `${name}.${TEKTON_WEBHOOK_NAME}`,
    clientConfig: { url: `${serverUrl}${path}`, caBundle: Buffer.from(caPem).toString('base64') },
    rules,
    failurePolicy: 'Fail',
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    matchPolicy: 'Equivalent',
    timeoutSeconds: 10,
  });
  const mutating = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: TEKTON_WEBHOOK_NAME },
    webhooks: [{ ...webhook('defaulting', '/mutate'), reinvocationPolicy: 'IfNeeded' }],
  };
  const validating = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: TEKTON_WEBHOOK_NAME },
    webhooks: [webhook('validation', '/validate')],
  };
  return `${JSON.stringify(mutating)}\n---\n${JSON.stringify(validating)}\n`;
}

interface Server {
  readonly url: string;
  readonly caPem: string;
  readonly logPath: string;
  exited?: string;
  stop(): Promise<void>;
}

async function startServer(cluster: TektonCluster, binary: string, dir: string, modules: ModuleDirs): Promise<Server> {
  const cert = cluster.issueServingCert(['127.0.0.1']);
  const certPath = join(dir, 'serving.crt');
  const keyPath = join(dir, 'serving.key');
  const portPath = join(dir, 'port');
  const logPath = join(dir, 'tekton-admission.log');
  writeFileSync(certPath, cert.certPem);
  writeFileSync(keyPath, cert.keyPem, { mode: 0o600 });
  // The ConfigMaps a Tekton install creates (feature flags and defaults as released), which its
  // webhooks' config stores would load.
  const configs = [
    join(modules.pipeline, 'config', 'config-feature-flags.yaml'),
    join(modules.pipeline, 'config', 'config-defaults.yaml'),
    join(modules.triggers, 'config', 'config-feature-flags.yaml'),
    join(modules.triggers, 'config', 'config-defaults-triggers.yaml'),
  ];
  const fd = openSync(logPath, 'a');
  // Its stdin is a pipe held by this process: when this process dies, however it dies, the server
  // sees EOF and exits (--stdin-lifeline).
  const child: ChildProcess = spawn(
    binary,
    [
      'serve', '--cert', certPath, '--key', keyPath, '--addr', '127.0.0.1:0', '--port-file', portPath, '--stdin-lifeline',
      ...configs.flatMap((c) => ['--config', c]),
    ],
    { stdio: ['pipe', fd, fd], cwd: dir },
  );
  closeSync(fd);
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  const exitHandler = () => child.kill('SIGKILL');
  process.once('exit', exitHandler);

  const server: Server = {
    url: '',
    caPem: cert.caPem,
    logPath,
    stop: async () => {
      process.removeListener('exit', exitHandler);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref());
      if ((await Promise.race([exited.then(() => true), timer])) === false) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  child.on('error', (e) => (server.exited ??= `failed to start: ${e.message}`));
  child.on('exit', (code, signal) => (server.exited ??= `exited (${signal ?? `code ${code}`})`));

  const deadline = Date.now() + 30_000;
  let port = '';
  for (;;) {
    if (server.exited) throw new Error(`tekton-admission ${server.exited}:\n${tail(logPath)}`);
    if (!port && existsSync(portPath)) port = readFileSync(portPath, 'utf8').trim();
    if (port && (await healthy(`https://127.0.0.1:${port}/healthz`, cert.caPem))) break;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`tekton-admission did not serve within 30 s:\n${tail(logPath)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return Object.assign(server, { url: `https://127.0.0.1:${port}` });
}

/** A Pipeline that Tekton refuses (a task with both taskRef and taskSpec); the CRD schema allows it. */
const KNOWN_BAD = JSON.stringify({
  apiVersion: 'tekton.dev/v1',
  kind: 'Pipeline',
  metadata: { name: 'tekton-admission-probe', namespace: 'default' },
  spec: {
    tasks: [{ name: 'probe', taskRef: { name: 'x' }, taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] } }],
  },
});
/** A Task the CRD schema refuses unless the defaulting webhook ran (step workspace without mountPath). */
const NEEDS_DEFAULTING = JSON.stringify({
  apiVersion: 'tekton.dev/v1',
  kind: 'Task',
  metadata: { name: 'tekton-admission-probe', namespace: 'default' },
  spec: {
    workspaces: [{ name: 'w' }],
    steps: [{ name: 's', image: 'busybox', script: 'true', workspaces: [{ name: 'w' }] }],
  },
});

/** Until the apiserver calls both webhooks (its webhook informers pick registrations up shortly). */
async function waitUntilLive(cluster: TektonCluster, server: Server): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = '';
  for (;;) {
    if (server.exited) throw new Error(`tekton-admission ${server.exited}:\n${tail(server.logPath)}`);
    const bad = await cluster.kubectl(['create', '--dry-run=server', '-f', '-'], { input: KNOWN_BAD }).then(
      () => 'accepted',
      (e: { stderr?: string; message?: string }) => e.stderr ?? e.message ?? String(e),
    );
    const refusedByTekton = bad.includes('expected exactly one, got multiple');
    let defaulted = false;
    if (refusedByTekton) {
      const good = await cluster.kubectl(['create', '--dry-run=server', '-f', '-'], { input: NEEDS_DEFAULTING }).then(
        () => 'accepted',
        (e: { stderr?: string; message?: string }) => e.stderr ?? e.message ?? String(e),
      );
      defaulted = good === 'accepted';
      last = `probe Task: ${good}`;
    } else {
      last = `probe Pipeline: ${bad}`;
    }
    if (refusedByTekton && defaulted) return;
    if (Date.now() > deadline) {
      throw new Error(`Tekton's admission webhooks did not take effect within 30 s (last: ${last.trim()}):\n${tail(server.logPath)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function healthy(url: string, caPem: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(url, { ca: caPem, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function run(command: string, args: string[], cwd?: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolvePromise({ stdout, stderr });
    });
  });
}
