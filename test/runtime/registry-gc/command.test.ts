/**
 * The in-cluster registry's garbage-collection CronJob on the real API server (its real deployment
 * controller rolls the registry's Deployment) and the real CNCF registry: the command, with the exact
 * arguments the System synthesizes, run as the CronJob's own ServiceAccount bound by the synthesized
 * Role. There is no kubelet: the test plays it, running what the maintenance pod template says — the
 * registry with the template's read-only switch, the GC container's script — and reporting the GC
 * container's state as the kubelet would.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamRegistry } from '../../../constructs';
import type { KubeObject } from '../../../lib/api/kube-object';
import { GC_CONTAINER, MAINTENANCE_ANNOTATION, maintenanceTemplate, READONLY_ENV, REGISTRY_CONTAINER, type PodTemplate } from '../../../lib/api/registry-maintenance';
import { createRegistryGcCommand } from '../../../lib/runtime/registry-gc/command';
import { loadKubeconfig } from '../../../lib/runtime/kube/kubeconfig';
import { eventually } from '../controller/eventually';
import { useTestKube } from '../../support/kube';
import { basic, MANIFEST_TYPES, rawRequest } from '../../support/registry/http-probe';
import { pushImage } from '../../support/registry/images';
import { startRegistry } from '../../support/registry/registry';
import { synthApp, type Manifest } from '../../support/synth-app';

type Container = { name: string; command?: string[]; env?: { name: string; value?: string }[] };
type Pod = KubeObject & { spec: { containers: Container[] } };
type Deployment = KubeObject & { spec: { template: { metadata?: { annotations?: Record<string, string> }; spec: { containers: Container[] } } } };

const t = useTestKube('registry-gc');
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const USER = { username: 'imagestreams', password: 'gc-test-password' };

describe('the registry garbage-collection CronJob', () => {
  let objects: Manifest[];
  let dir: string;
  let storage: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'registry-gc-'));
    storage = join(dir, 'storage');
    mkdirSync(join(dir, 'bin'));
    // The registry image calls its binary `registry`; Debian's is docker-registry.
    symlinkSync('/usr/bin/docker-registry', join(dir, 'bin', 'registry'));
    objects = [...synthApp(() => undefined, {
      namespace: t.namespace, createNamespace: false, createAppNamespaces: false,
      registry: StreamRegistry.inCluster({ allowDeletes: true, garbageCollection: {} }),
    }).objects];
    const apply = objects.filter((o) => ['Deployment', 'PersistentVolumeClaim'].includes(o.kind) || /registry-gc/.test(o.metadata.name) && ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind));
    expect(apply.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/imagestreams-registry', 'PersistentVolumeClaim/imagestreams-registry-storage', 'Role/imagestreams-registry-gc', 'RoleBinding/imagestreams-registry-gc', 'ServiceAccount/imagestreams-registry-gc',
    ]);
    await t.apply(apply);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const deployments = () => t.kube.resource<Deployment>({ apiVersion: 'apps/v1', resource: 'deployments', namespace: t.namespace });
  const pods = () => t.kube.resource<Pod>({ apiVersion: 'v1', resource: 'pods', namespace: t.namespace });

  /** Starts the CronJob's command as its ServiceAccount; resolves with its exit code and output. */
  async function startJob(run: string): Promise<{ done: Promise<{ code: number; out: string; err: string }> }> {
    const cronJob = objects.find((o) => o.kind === 'CronJob')!;
    const spec = cronJob.spec.jobTemplate.spec.template.spec;
    const token = await t.cluster.tokenFor(t.namespace, spec.serviceAccountName);
    const kubeconfig = t.cluster.kubeconfigFor(token, { namespace: t.namespace });
    const argv: string[] = spec.containers[0].command.map((a: string) => (a === '$(POD_NAME)' ? run : a));
    expect(argv.slice(0, 3)).toEqual(['node', '/opt/imagestreams/imagestreams-runtime.js', 'registry-gc']);
    let out = '';
    let err = '';
    const command = createRegistryGcCommand({ loadConfig: () => loadKubeconfig({ path: kubeconfig }), stdout: (s) => void (out += s), stderr: (s) => void (err += s), pollMs: 100 });
    // Wrapped: an async function would wait for a promise it returns.
    return { done: command.run(argv.slice(3)).then((code) => ({ code, out, err })) };
  }

  /** The pod the deployment controller made from the maintenance template of `run`. */
  const maintenancePod = (run: string) => eventually(async () => {
    const pod = (await pods().list()).items.find((p) => p.metadata.annotations?.[MAINTENANCE_ANNOTATION] === run);
    if (!pod) {
      const d = await deployments().get('imagestreams-registry');
      throw new Error(`no pod of run ${run} yet: pods ${JSON.stringify((await pods().list()).items.map((p) => [p.metadata.name, p.metadata.annotations]))}, template ${JSON.stringify(d.spec.template.metadata)} status ${JSON.stringify((d as unknown as { status: unknown }).status)}`);
    }
    return pod;
  }, 30_000, 100);

  /** The kubelet's report of the GC container. */
  const reportGc = (pod: Pod, state: object) => pods().mergePatchStatus(pod.metadata.name!, {
    status: { containerStatuses: [{ name: GC_CONTAINER, image: 'registry', imageID: '', restartCount: 0, started: true, ...state }] },
  });

  const blobs = () => {
    const root = join(storage, 'docker/registry/v2/blobs/sha256');
    return new Set(readdirSync(root).flatMap((p) => readdirSync(join(root, p)).map((hex) => `sha256:${hex}`)));
  };

  it('holds the registry read-only while its GC container runs, frees the blobs of deleted manifests, and serves again', async () => {
    // GIVEN a registry that served two pushes, and a prune deleted the first image's manifest
    const serving = await startRegistry({ auth: 'htpasswd', users: { [USER.username]: USER.password }, storageRoot: storage });
    const creds = { credentials: USER };
    const first = await pushImage(serving.host, 'team/app:latest', creds);
    const second = await pushImage(serving.host, 'team/app:latest', creds);
    const layersOf = async (digest: string) => JSON.parse((await rawRequest('GET', `${serving.url}/v2/team/app/manifests/${digest}`, { accept: MANIFEST_TYPES, authorization: basic(USER.username, USER.password) })).body).layers.map((l: { digest: string }) => l.digest) as string[];
    const [firstLayers, secondLayers] = [await layersOf(first.digest), await layersOf(second.digest)];
    expect((await rawRequest('DELETE', `${serving.url}/v2/team/app/manifests/${first.digest}`, { authorization: basic(USER.username, USER.password) })).status).toBe(202);
    await serving.close();
    const original = (await deployments().get('imagestreams-registry')).spec.template;

    // WHEN the CronJob's command runs
    const job = await startJob('registry-gc-1-abcde');
    // THEN the deployment controller rolls a pod of the maintenance template: the registry read-only, a GC container beside it
    const pod = await maintenancePod('registry-gc-1-abcde');
    const registryContainer = pod.spec.containers.find((c) => c.name === REGISTRY_CONTAINER)!;
    const gc = pod.spec.containers.find((c) => c.name === GC_CONTAINER)!;
    expect(registryContainer.env).toContainEqual(READONLY_ENV);
    expect(gc.env).not.toContainEqual(READONLY_ENV);
    // AND (the kubelet's part) the registry run with the template's environment refuses pushes and serves pulls
    const readOnly = await startRegistry({ auth: 'htpasswd', users: { [USER.username]: USER.password }, storageRoot: storage, env: envOf(registryContainer, 'REGISTRY_STORAGE_MAINTENANCE_') });
    try {
      await expect(pushImage(readOnly.host, 'team/app:other', creds)).rejects.toThrow(/405|[Mm]ethod not allowed|unsupported/);
      expect((await rawRequest('HEAD', `${readOnly.url}/v2/team/app/manifests/${second.digest}`, { accept: MANIFEST_TYPES, authorization: basic(USER.username, USER.password) })).status).toBe(200);
      // AND the GC container's script, run on the same storage, collects and reports success
      const before = blobs();
      expect(firstLayers.every((l) => before.has(l))).toBe(true);
      const script = await runGcScript(gc, readOnly.configPath);
      expect(script.exitCode).toBe(0);
      expect(script.message).toMatch(/^\S+\s+\d+\s+\d+\s+\d+\s+\d+%\s+\//);
      // (the kubelet restarts it, and reports the run that ended as its last state)
      await reportGc(pod, { state: { running: { startedAt: now() } }, lastState: { terminated: { exitCode: 0, reason: 'Completed', message: script.message } } });
    } finally {
      await readOnly.close();
    }
    // THEN the command succeeds and the Deployment's template is the serving one again, exactly
    const { code, out, err } = await job.done;
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('imagestreams-registry: read-only, garbage collection starting (run registry-gc-1-abcde)');
    expect((await deployments().get('imagestreams-registry')).spec.template).toEqual(original);
    // AND the blobs only the deleted manifest used are gone; the kept image's are there
    const after = blobs();
    expect(firstLayers.filter((l) => after.has(l))).toEqual([]);
    expect(secondLayers.every((l) => after.has(l))).toBe(true);
    // AND an Event on the Deployment says so
    expect(await eventReasons()).toContain('Normal GarbageCollected');
    expect((await eventMessages()).find((m) => m.startsWith('the registry garbage-collected'))).toMatch(/serves again; its volume: [\d.]+ \w+ used, [\d.]+ \w+ free \(\d+% full\)$/);
  });

  it('a GC that fails is reported as a Warning Event and the registry serves again; a run left in maintenance is taken over', async () => {
    // GIVEN a template left in maintenance by a run that died before switching it back
    const original = (await deployments().get('imagestreams-registry')).spec.template;
    await eventually(async () => {
      // (the deployment controller writes its status meanwhile: a conflict is tried again)
      const current = await deployments().get('imagestreams-registry');
      await deployments().update({ ...current, spec: { ...current.spec, template: maintenanceTemplate(current.spec.template as PodTemplate, 'registry-gc-dead') } } as Deployment);
    }, 10_000, 100);
    // WHEN the next run starts, and its GC container fails
    const job = await startJob('registry-gc-2-fghij');
    const pod = await maintenancePod('registry-gc-2-fghij');
    await reportGc(pod, { ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', message: 'failed to garbage collect: disk I/O error\n' } } });
    // THEN the command fails, the template is the serving one, and a Warning Event names the cause
    const { code, out } = await job.done;
    expect(code).toBe(1);
    expect(out).toContain('imagestreams-registry was left in maintenance by an earlier run: taking it over');
    expect((await deployments().get('imagestreams-registry')).spec.template).toEqual(original);
    expect(await eventMessages()).toContain("the registry's garbage collection failed: failed to garbage collect: disk I/O error; the registry serves again (read-write)");
  });

  it('past storageWarningPercent after a GC, a Warning Event on the registry claim says how full it is and what to do', async () => {
    // GIVEN a GC whose container reports (df -Pk) a volume 95% full
    const job = await startJob('registry-gc-3-klmno');
    const pod = await maintenancePod('registry-gc-3-klmno');
    await reportGc(pod, { state: { running: { startedAt: now() } }, lastState: { terminated: { exitCode: 0, reason: 'Completed', message: '/dev/sdb 20971520 19922944 1048576 95% /var/lib/registry\n' } } });
    // THEN the command succeeds and a Warning goes on the claim (80% by default)
    expect((await job.done).code).toBe(0);
    const { items } = await t.kube.resource<KubeObject & { type: string; reason: string; message: string; involvedObject: { kind: string; name: string } }>({ apiVersion: 'v1', resource: 'events', namespace: t.namespace }).list();
    const warning = items.find((e) => e.reason === 'RegistryStorageNearlyFull')!;
    expect(warning).toMatchObject({
      type: 'Warning', involvedObject: { kind: 'PersistentVolumeClaim', name: 'imagestreams-registry-storage' },
      message: "the registry's volume is 95% full after garbage collection (19.0 GiB used, 1.0 GiB free; the warning starts at 80%): prune images (imagestreams prune images --confirm) or give it more storage",
    });
  });

  it('its ServiceAccount may change the registry Deployment and nothing else', async () => {
    const cronJob = objects.find((o) => o.kind === 'CronJob')!;
    const client = await t.clientAs(cronJob.spec.jobTemplate.spec.template.spec.serviceAccountName);
    const other = client.resource({ apiVersion: 'apps/v1', resource: 'deployments', namespace: t.namespace });
    await expect(other.get('imagestreams-controller')).rejects.toThrow(/forbidden/);
    await expect(other.list()).rejects.toThrow(/forbidden/);
    await expect(client.resource({ apiVersion: 'v1', resource: 'secrets', namespace: t.namespace }).list()).rejects.toThrow(/forbidden/);
    await expect(client.resource({ apiVersion: 'v1', resource: 'pods', namespace: 'default' }).list()).rejects.toThrow(/forbidden/);
  });

  async function eventMessages(): Promise<string[]> {
    const { items } = await t.kube.resource<KubeObject & { message: string }>({ apiVersion: 'v1', resource: 'events', namespace: t.namespace }).list();
    return items.map((e) => e.message);
  }

  async function eventReasons(): Promise<string[]> {
    const { items } = await t.kube.resource<KubeObject & { type: string; reason: string }>({ apiVersion: 'v1', resource: 'events', namespace: t.namespace }).list();
    return items.map((e) => `${e.type} ${e.reason}`);
  }

  /** Runs the GC container's command (its script, on this registry's config and storage) to its end, as the container would run. */
  async function runGcScript(gc: Container, configPath: string): Promise<{ exitCode: number | null; message: string }> {
    const statusDir = mkdtempSync(join(dir, 'status-'));
    const terminationLog = join(statusDir, 'termination-log');
    const [shell, flag, script, argv0, config, status, root, log] = gc.command!;
    expect([shell, flag, argv0, config, status, root, log]).toEqual(['/bin/sh', '-c', GC_CONTAINER, '/etc/docker/registry/config.yml', '/tmp', '/var/lib/registry', '/dev/termination-log']);
    const child = spawn('/bin/sh', ['-c', script, argv0, configPath, statusDir, storage, terminationLog], { stdio: 'ignore', env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` } });
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { exitCode, message: existsSync(terminationLog) ? readFileSync(terminationLog, 'utf8').trim() : '' };
  }
});

/** The container's variables with `prefix`, as its pod would have them. */
function envOf(container: Container, prefix: string): Record<string, string> {
  return Object.fromEntries((container.env ?? []).filter((e) => e.name.startsWith(prefix)).map((e) => [e.name, e.value ?? '']));
}

