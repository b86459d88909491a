/**
 * RBAC on the real API server: the importer and the controller run with TokenRequest tokens of their
 * own ServiceAccounts, bound by their Roles exactly as synthesized, and do their whole job with them;
 * an audit proxy in front of the apiserver records every request they make, so the test knows that
 * nothing was refused and that every permission granted was used (or is listed here with the reason
 * it wasn't). The real authorizer, asked with SubjectAccessReviews, then refuses each of them (and the
 * git poller and the builder) everything else worth trying.
 */
import { ApiObject, Duration } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger, ImageStream, ImageStreamTag } from '../../constructs';
import { PIPELINERUNS } from '../../lib/api/group';
import type { KubeObject } from '../../lib/api/kube-object';
import type { PipelineRun } from '../../lib/api/pipeline-run';
import { createImportCommand } from '../../lib/runtime/importer/command';
import { runtimeKubeConfig } from '../../lib/runtime/runtime-config';
import { testKube, type TestKube } from '../support/kube';
import { pushImage } from '../support/registry/images';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';
import { synthApp, TEST_REGISTRY, type SynthesizedApp } from '../support/synth-app';
import { grantsOf, isAllowed, parseAccess } from './access-review';
import { permissionOf, startApiAudit, type ApiAudit, type AuditedRequest } from './api-audit';
import { controllerPod, eventually, memoryLog, startController, type RunningController } from './controller-process';
import { installApp } from './install-app';

type Workload = KubeObject & { spec: Record<string, any> };

const CREDENTIALS = { username: 'alice', password: 'wonderland' };
/** The kinds whose images the controller sets, and where their containers are. */
const WORKLOADS = [
  { kind: 'Deployment', apiVersion: 'apps/v1', resource: 'deployments', pod: ['spec', 'template'] },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', resource: 'statefulsets', pod: ['spec', 'template'] },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', resource: 'daemonsets', pod: ['spec', 'template'] },
  { kind: 'CronJob', apiVersion: 'batch/v1', resource: 'cronjobs', pod: ['spec', 'jobTemplate', 'spec', 'template'] },
] as const;

let t: TestKube;
let registry: RunningRegistry;
let app: SynthesizedApp;
/** The test's namespaces by their keys in the access notation: the app's (managed), the System's, one the app doesn't use. */
let ns: { app: string; system: string; other: string };
let importerAudit: ApiAudit;
let controllerAudit: ApiAudit;

/** The app: two imported streams (each its importer and pull secret), a build FROM base into app:latest, every workload kind following app:latest, and one following a stream that doesn't exist. */
function synthesize(): SynthesizedApp {
  return synthApp(({ chart }) => {
    const c = chart(ns.app);
    const base = new ImageStream(c, 'base', { pullSecrets: ['registry-pull'] });
    base.importTag('latest', { from: `${registry.host}/team/base:1`, insecure: true });
    new ImageStream(c, 'tools', { pullSecrets: ['tools-pull'] }).importTag('v1', { from: `${registry.host}/team/tools:1`, insecure: true });
    const out = new ImageStream(c, 'app');
    new BuildConfig(c, 'app-build', {
      name: 'app',
      source: BuildSource.git({ uri: 'https://git.example.com/team/app.git', ref: 'main' }),
      strategy: BuildStrategy.dockerfile({ from: base.tag('latest') }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
      triggers: [BuildTrigger.imageChange(), BuildTrigger.gitPoll({ interval: Duration.minutes(5) })],
      successfulBuildsHistoryLimit: 1,
    });
    for (const w of WORKLOADS) out.tag('latest').deployTo(workload(c, w.kind, 'web'), { container: 'web' });
    ImageStreamTag.external('gone:latest', ns.app).deployTo(workload(c, 'Deployment', 'orphan'), { container: 'web' });
  }, { namespace: ns.system, registry: TEST_REGISTRY() });
}

function workload(scope: import('constructs').Construct, kind: string, name: string): ApiObject {
  const labels = { app: name };
  const template = { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'registry.test/team/app:latest' }] } };
  const spec = kind === 'CronJob'
    ? { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'OnFailure' } } } } }
    : { selector: { matchLabels: labels }, template, ...(kind === 'StatefulSet' ? { serviceName: name } : {}) };
  return new ApiObject(scope, `${kind}-${name}`, { apiVersion: kind === 'CronJob' ? 'batch/v1' : 'apps/v1', kind, metadata: { name }, spec });
}

beforeAll(async () => {
  [t, registry] = await Promise.all([testKube('sec-rbac'), startRegistry({ auth: 'htpasswd' })]);
  ns = { app: t.namespace, system: await t.newNamespace('sec-rbac-system'), other: await t.newNamespace('sec-rbac-other') };
  app = synthesize();
  await installApp(t, app);
  await t.createPullSecret('registry-pull', registry.host, CREDENTIALS.username, CREDENTIALS.password);
  await t.createPullSecret('tools-pull', registry.host, CREDENTIALS.username, CREDENTIALS.password);
  [importerAudit, controllerAudit] = await Promise.all([startApiAudit(t.cluster), startApiAudit(t.cluster)]);
}, 180_000);

afterAll(async () => {
  await Promise.all([importerAudit?.close(), controllerAudit?.close(), registry?.close()]);
  t?.close();
});

/** Every request of an audit in the access notation, with and without its object name. */
function usedLines(requests: readonly AuditedRequest[]): Set<string> {
  const where = (namespace?: string) => (namespace ? Object.entries(ns).find(([, n]) => n === namespace)?.[0] ?? namespace : 'cluster');
  const lines = new Set<string>();
  for (const r of requests) {
    const line = `${where(r.namespace)}: ${permissionOf(r)}`;
    lines.add(line);
    if (r.name) lines.add(`${line} ${r.name}`);
  }
  return lines;
}

/** The Role in `where` (bound there to the ServiceAccount `account` of namespace `of`) of the app's synthesis, in the access notation. */
function grants(where: keyof typeof ns, role: string, account: string, of: keyof typeof ns): string[] {
  const inNamespace = (o: { metadata: { namespace?: string } }) => o.metadata.namespace === ns[where];
  const binding = app.find('RoleBinding', role).find(inNamespace)!;
  expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role });
  expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: account, namespace: ns[of] }]);
  return grantsOf(where, app.find('Role', role).find(inNamespace)!);
}

/** What the importer of `stream` runs, as its CronJob says: its ServiceAccount and its arguments. */
function importerJob(stream: string): { account: string; argv: string[] } {
  const pod = app.one('CronJob', `${ns.app}-${stream}-import`).spec.jobTemplate.spec.template.spec;
  const command: string[] = pod.containers[0].command;
  return { account: pod.serviceAccountName, argv: command.slice(command.indexOf('import') + 1) };
}

/** Runs the real import command with a token of its ServiceAccount, through the importer's audit. */
async function runImporter(stream: string, options: { scheduled: boolean }): Promise<{ code: number; stdout: string; stderr: string }> {
  const job = importerJob(stream);
  // A re-import within the tag's interval: the same job without the schedule's "is it due" filter.
  const argv = options.scheduled ? job.argv : job.argv.filter((a) => a !== '--scheduled');
  // It runs in the System's namespace, as its ServiceAccount there.
  const kubeconfig = importerAudit.kubeconfigFor(await t.cluster.tokenFor(ns.system, job.account), ns.system);
  let stdout = '';
  let stderr = '';
  const command = createImportCommand({
    loadConfig: () => runtimeKubeConfig({ IMAGESTREAMS_KUBECONFIG: kubeconfig }),
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { code: await command.run(argv), stdout, stderr };
}

const newest = async (stream: string, tag: string) => (await t.streams().get(stream)).status?.tags?.find((x) => x.tag === tag)?.items?.[0];

describe('the importer, with its own ServiceAccount', () => {
  it('imports its stream with its pull secret, and uses exactly the permissions its Role grants', async () => {
    // GIVEN base:1 in a registry that wants the credentials of Secret registry-pull
    const { digest } = await pushImage(registry.host, 'team/base:1', { credentials: CREDENTIALS });
    // WHEN base's CronJob runs, in the System's namespace with a token of its ServiceAccount there
    const job = importerJob('base');
    expect(job).toEqual({ account: `${ns.app}-base-importer`, argv: ['--namespace', ns.app, '--stream', 'base', '--scheduled'] });
    expect(app.one('CronJob', `${ns.app}-base-import`).metadata.namespace).toBe(ns.system);
    const run = await runImporter('base', { scheduled: true });
    // THEN the tag is imported and recorded in the stream's status
    expect(run).toEqual({ code: 0, stdout: `latest ${digest} moved\n`, stderr: '' });
    expect(await newest('base', 'latest')).toMatchObject({ image: digest, dockerImageReference: `${registry.host}/team/base@${digest}` });
    // AND nothing it asked was refused, and it used every permission its Role grants
    const requests = importerAudit.requests();
    expect(requests.filter((r) => r.status >= 400)).toEqual([]);
    const granted = grants('app', 'base-importer', `${ns.app}-base-importer`, 'system');
    expect(granted).toEqual([
      'app: get imagestreams.imagestreams.dev base',
      'app: get secrets registry-pull',
      'app: update imagestreams.imagestreams.dev/status base',
    ]);
    const used = usedLines(requests);
    expect(granted.filter((g) => !used.has(g))).toEqual([]);
  });
});

describe('the controller, with its own ServiceAccount', () => {
  const log = memoryLog();
  let controller: RunningController | undefined;

  /** Runs the controller command as the System's Deployment does: its arguments, its ServiceAccount's token, through the controller's audit. */
  async function start(identity: string): Promise<void> {
    const pod = controllerPod(app);
    expect(pod).toEqual({
      namespace: ns.system, serviceAccount: 'imagestreams-controller',
      argv: ['--namespaces', ns.app, '--lease-namespace', ns.system, '--workers', '2', '--stream-registry', expect.stringContaining('"pushHost"')],
    });
    controller = await startController(t.cluster, pod, { identity, log, server: controllerAudit });
  }

  async function stop(): Promise<number> {
    const exit = await controller!.stop();
    controller = undefined;
    return exit;
  }

  afterAll(async () => {
    await controller?.stop();
  });

  const runs = () => t.resource<PipelineRun>(PIPELINERUNS);
  const runNames = async () => (await runs().list({ labelSelector: 'imagestreams.dev/buildconfig=app' })).items.map((r) => r.metadata.name).sort();
  const image = async (w: (typeof WORKLOADS)[number], name = 'web') => {
    let node: any = await t.resource<Workload>({ apiVersion: w.apiVersion, resource: w.resource }).get(name);
    for (const field of w.pod) node = node[field];
    return node.spec.containers[0].image as string;
  };
  const events = async (reason: string) => (await t.resource<KubeObject & { reason: string; count: number; involvedObject: { name: string } }>({ apiVersion: 'v1', resource: 'events' }).list())
    .items.filter((e) => e.reason === reason);

  /** What Tekton writes when a run succeeds (its admission wants lastTransitionTime), as the admin. */
  async function succeed(run: string, digest: string): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await runs().mergePatchStatus(run, {
      status: {
        startTime: now, completionTime: now,
        conditions: [{ type: 'Succeeded', status: 'True', lastTransitionTime: now, reason: 'Succeeded', message: 'Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0' }],
        results: [{ name: 'IMAGE_DIGEST', value: `${digest}\n` }, { name: 'IMAGE_URL', value: `registry.test/${ns.app}/app:latest\n` }],
      },
    });
  }

  /** A new base image, imported by base's own importer (as in the importer's test). */
  async function moveBase(content: string): Promise<string> {
    const { digest } = await pushImage(registry.host, 'team/base:1', { credentials: CREDENTIALS, content });
    expect((await runImporter('base', { scheduled: false })).code).toBe(0);
    const item = (await newest('base', 'latest'))!;
    expect(item.image).toBe(digest);
    return item.dockerImageReference;
  }

  async function expectRolledOut(reference: string): Promise<void> {
    for (const w of WORKLOADS) await eventually(async () => expect(`${w.kind} ${await image(w)}`).toBe(`${w.kind} ${reference}`));
  }

  it('builds FROM each new base digest, rolls every kind of workload, prunes, reports, and uses exactly what its Roles grant', async () => {
    // GIVEN base:latest imported, its tag's spec changed since (a new synthesis applied: the controller
    // imports it again with its pull secret), and the controller running as imagestreams-controller
    const base1 = await moveBase('base-1');
    const spec = (await t.streams().get('base')).spec;
    await t.streams().mergePatch('base', { spec: { tags: spec.tags!.map((tag) => ({ ...tag, importPolicy: { ...tag.importPolicy, intervalSeconds: 1800 } })) } });
    await start('controller-a');
    await eventually(async () => expect((await t.streams().get('base')).status?.tags?.[0].conditions?.[0]).toMatchObject({ status: 'True', generation: 2 }), 30_000);
    // THEN it starts build 1 FROM that digest and admits it
    await eventually(async () => expect(await runNames()).toEqual(['app-1']), 30_000);
    await eventually(async () => expect((await runs().get('app-1')).spec.status).toBeUndefined());
    expect((await runs().get('app-1')).spec.params).toContainEqual({ name: 'BASE_IMAGE', value: base1 });
    // WHEN Tekton reports it built sha256:a…
    await succeed('app-1', `sha256:${'a'.repeat(64)}`);
    // THEN app:latest records it and every workload runs it, by digest
    await eventually(async () => expect((await newest('app', 'latest'))?.image).toBe(`sha256:${'a'.repeat(64)}`), 30_000);
    const built1 = (await newest('app', 'latest'))!.dockerImageReference;
    expect(built1).toBe(`registry.test/${ns.app}/app@sha256:${'a'.repeat(64)}`);
    await expectRolledOut(built1);
    expect((await t.buildConfigs().get('app')).status).toMatchObject({ lastVersion: 1 });
    // AND a workload following a stream that doesn't exist gets a Warning Event
    await eventually(async () => expect((await events('StreamNotFound')).map((e) => e.involvedObject.name)).toEqual(['orphan']), 30_000);

    // WHEN the controller restarts (another replica takes the Lease over) and the base moves
    await stop();
    await start('controller-b');
    // THEN the restarted controller repeats the Event by bumping its count
    await eventually(async () => expect((await events('StreamNotFound'))[0]?.count).toBe(2), 30_000);
    const base2 = await moveBase('base-2');
    // AND starts build 2 FROM the new digest
    await eventually(async () => expect(await runNames()).toEqual(['app-1', 'app-2']), 30_000);
    expect((await runs().get('app-2')).spec.params).toContainEqual({ name: 'BASE_IMAGE', value: base2 });
    await eventually(async () => expect((await runs().get('app-2')).spec.status).toBeUndefined());
    await succeed('app-2', `sha256:${'b'.repeat(64)}`);
    // THEN the workloads move on, and build 1 is pruned (one successful build kept)
    await expectRolledOut(`registry.test/${ns.app}/app@sha256:${'b'.repeat(64)}`);
    await eventually(async () => expect(await runNames()).toEqual(['app-2']), 30_000);
    expect(await stop()).toBe(0);

    // AND nothing it asked was refused or failed for want of a permission
    const requests = controllerAudit.requests();
    expect(requests.filter((r) => r.status === 401 || r.status === 403)).toEqual([]);
    expect(log.lines.filter((l) => /^(warn|error) /.test(l) && /forbidden|unauthorized/i.test(l))).toEqual([]);
    // AND it used every permission its Roles grant, but two it needs only elsewhere
    const granted = [...grants('system', 'imagestreams-controller-leases', 'imagestreams-controller', 'system'), ...grants('app', 'imagestreams-controller', 'imagestreams-controller', 'system')];
    expect(granted).toEqual(CONTROLLER_GRANTS);
    const used = usedLines(requests);
    expect(granted.filter((g) => !used.has(g))).toEqual([
      // a create whose answer was lost is read back to see whether it is the same build
      'app: get pipelineruns.tekton.dev',
      // only the OwnerReferencesPermissionEnforcement admission plugin (OpenShift's) asks for it, to let
      // its builds be owned by their BuildConfig with blockOwnerDeletion; this cluster doesn't run it
      'app: update buildconfigs.imagestreams.dev/finalizers',
    ]);
  }, 240_000);
});

/** The controller's Roles, line by line: each is used by the run above (see the exceptions there). */
const CONTROLLER_GRANTS = [
  'system: create leases.coordination.k8s.io',
  'system: get leases.coordination.k8s.io imagestreams-controller',
  'system: update leases.coordination.k8s.io imagestreams-controller',
  'app: create events',
  'app: create pipelineruns.tekton.dev',
  'app: delete pipelineruns.tekton.dev',
  'app: get buildconfigs.imagestreams.dev',
  'app: get events',
  'app: get imagestreams.imagestreams.dev',
  'app: get pipelineruns.tekton.dev',
  'app: get secrets registry-pull',
  'app: get secrets tools-pull',
  'app: list buildconfigs.imagestreams.dev',
  'app: list cronjobs.batch',
  'app: list daemonsets.apps',
  'app: list deployments.apps',
  'app: list imagestreams.imagestreams.dev',
  'app: list pipelineruns.tekton.dev',
  'app: list statefulsets.apps',
  'app: patch cronjobs.batch',
  'app: patch daemonsets.apps',
  'app: patch deployments.apps',
  'app: patch events',
  'app: patch pipelineruns.tekton.dev',
  'app: patch statefulsets.apps',
  'app: update buildconfigs.imagestreams.dev/finalizers',
  'app: update buildconfigs.imagestreams.dev/status',
  'app: update imagestreams.imagestreams.dev/status',
  'app: watch buildconfigs.imagestreams.dev',
  'app: watch cronjobs.batch',
  'app: watch daemonsets.apps',
  'app: watch deployments.apps',
  'app: watch imagestreams.imagestreams.dev',
  'app: watch pipelineruns.tekton.dev',
  'app: watch statefulsets.apps',
];

/**
 * Who may do what, asked of the real authorizer. Allowed: exactly what each one's job needs (the
 * controller's is CONTROLLER_GRANTS). Refused: what an attacker holding the token would try first.
 */
const ACCESS: Record<string, { account: keyof typeof ns; name: string; allowed: string[]; refused: string[] }> = {
  importer: {
    account: 'system', name: '<app>-base-importer',
    allowed: ['app: get imagestreams.imagestreams.dev base', 'app: update imagestreams.imagestreams.dev/status base', 'app: get secrets registry-pull'],
    refused: [
      'app: patch imagestreams.imagestreams.dev/status base', // it writes status with update (resourceVersion), never a blind patch
      'app: get imagestreams.imagestreams.dev tools', 'app: update imagestreams.imagestreams.dev/status tools',
      'app: list imagestreams.imagestreams.dev', 'app: watch imagestreams.imagestreams.dev',
      'app: update imagestreams.imagestreams.dev base', 'app: patch imagestreams.imagestreams.dev base', 'app: delete imagestreams.imagestreams.dev base',
      'app: create imagestreams.imagestreams.dev',
      'app: get secrets tools-pull', 'app: get secrets registry-push', 'app: list secrets', 'app: watch secrets', 'app: update secrets registry-pull',
      'app: get buildconfigs.imagestreams.dev app', 'app: create pipelineruns.tekton.dev', 'app: patch deployments.apps web',
      'app: create events', 'app: create pods', 'app: create serviceaccounts/token base-importer',
      // nothing in the System's namespace, where it runs next to the runtime and the controller
      'system: get secrets', 'system: list secrets', 'system: get configmaps', 'system: list configmaps', 'system: create pods', 'system: create jobs.batch',
      'system: create serviceaccounts/token', 'system: get imagestreams.imagestreams.dev base',
      'other: get imagestreams.imagestreams.dev base', 'other: get secrets registry-pull',
      'cluster: list namespaces',
    ],
  },
  controller: {
    account: 'system', name: 'imagestreams-controller',
    allowed: CONTROLLER_GRANTS,
    refused: [
      'app: get secrets', 'app: get secrets registry-push', 'app: list secrets', 'app: watch secrets', 'app: update secrets registry-pull', 'system: list secrets', 'system: get secrets',
      'app: create pods', 'app: create pods/exec', 'app: get pods/log', 'app: create jobs.batch',
      'app: create deployments.apps', 'app: update deployments.apps', 'app: delete deployments.apps', 'app: patch deployments.apps/scale',
      'app: get deployments.apps', 'app: delete statefulsets.apps', 'app: delete cronjobs.batch',
      'app: create imagestreams.imagestreams.dev', 'app: patch imagestreams.imagestreams.dev', 'app: update imagestreams.imagestreams.dev', 'app: delete imagestreams.imagestreams.dev',
      'app: patch imagestreams.imagestreams.dev/status',
      'app: patch buildconfigs.imagestreams.dev', 'app: delete buildconfigs.imagestreams.dev', 'app: patch buildconfigs.imagestreams.dev/status',
      'app: update pipelineruns.tekton.dev/status', 'app: patch pipelineruns.tekton.dev/status',
      'app: create pipelines.tekton.dev', 'app: patch tasks.tekton.dev', 'app: create taskruns.tekton.dev',
      'app: update configmaps', 'system: update configmaps', 'system: patch deployments.apps imagestreams-controller',
      'app: create serviceaccounts/token', 'app: create rolebindings.rbac.authorization.k8s.io', 'app: bind roles.rbac.authorization.k8s.io', 'app: escalate roles.rbac.authorization.k8s.io',
      'app: create events.events.k8s.io', 'app: delete events',
      'system: update leases.coordination.k8s.io another-lease', 'system: delete leases.coordination.k8s.io imagestreams-controller', 'app: create leases.coordination.k8s.io',
      'other: list imagestreams.imagestreams.dev', 'other: watch deployments.apps', 'other: create pipelineruns.tekton.dev', 'other: patch deployments.apps', 'other: create events',
      'cluster: list namespaces', 'cluster: get nodes', 'cluster: list customresourcedefinitions.apiextensions.k8s.io',
      'cluster: create clusterrolebindings.rbac.authorization.k8s.io', 'cluster: impersonate users', 'cluster: impersonate serviceaccounts',
    ],
  },
  'git poller': {
    account: 'app', name: 'app-git-poll',
    allowed: ['app: create pipelineruns.tekton.dev'],
    refused: [
      'app: get pipelineruns.tekton.dev', 'app: list pipelineruns.tekton.dev', 'app: patch pipelineruns.tekton.dev', 'app: delete pipelineruns.tekton.dev',
      'app: update pipelineruns.tekton.dev/status', 'app: get secrets', 'app: create pods', 'app: create taskruns.tekton.dev',
      'app: get buildconfigs.imagestreams.dev', 'app: patch imagestreams.imagestreams.dev/status', 'other: create pipelineruns.tekton.dev',
    ],
  },
  builder: {
    account: 'app', name: 'imagestreams-builder',
    allowed: [],
    refused: [
      'app: get secrets', 'app: list pods', 'app: create pipelineruns.tekton.dev', 'app: get imagestreams.imagestreams.dev',
      'app: update imagestreams.imagestreams.dev/status', 'app: create serviceaccounts/token', 'app: list configmaps',
    ],
  },
};

describe('what each ServiceAccount may do, by SubjectAccessReview', () => {
  for (const [who, access] of Object.entries(ACCESS)) {
    it(`${who} (${access.name}): allowed its job, refused the rest`, async () => {
      const account = { namespace: ns[access.account], name: access.name.replace('<app>', ns.app) };
      const answers = async (lines: string[]) => Promise.all(lines.map(async (line) => `${line}: ${await isAllowed(t.cluster, account, parseAccess(line, ns)) ? 'allowed' : 'refused'}`));
      expect(await answers(access.allowed)).toEqual(access.allowed.map((line) => `${line}: allowed`));
      expect(await answers(access.refused)).toEqual(access.refused.map((line) => `${line}: refused`));
    });
  }

  it('the builder ServiceAccount mounts no token, nor does the git poller (only its create-run container gets one)', () => {
    expect(app.one('ServiceAccount', 'imagestreams-builder').automountServiceAccountToken).toBe(false);
    expect(app.one('ServiceAccount', 'app-git-poll').automountServiceAccountToken).toBe(false);
    expect(app.one('BuildConfig', 'app').spec.podTemplate).toMatchObject({ automountServiceAccountToken: false });
  });
});
