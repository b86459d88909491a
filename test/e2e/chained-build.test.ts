/**
 * A chain of builds inside a cluster with the in-cluster registry (issue #16): `base` is built and
 * pushed to the registry's Service, then `app`, built FROM base:latest, gets BASE_IMAGE at that
 * in-cluster address (not at the nodes' localhost:32000, which a build pod can't reach) and pulls it
 * with the registry's credentials, which the System's Job made; the Deployment that follows app
 * gets the nodes' address and the pull Secret. The controller runs on the real API server; the
 * emitted Pipelines run through the step runner with real buildah; the test registry (real
 * distribution, htpasswd auth with the Job's password) listens at an address of the loopback range
 * that the steps resolve the Service's name to, as cluster DNS would.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry } from '../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../constructs/buildconfig';
import { IMAGESTREAMS, PIPELINERUNS } from '../../lib/api/group';
import type { ImageStreamObject } from '../../lib/api/imagestream';
import type { PipelineRun } from '../../lib/api/pipeline-run';
import { createControllerCommand } from '../../lib/runtime/controller/command';
import type { KubeClient } from '../../lib/runtime/kube/client';
import { loadKubeconfig } from '../../lib/runtime/kube/kubeconfig';
import type { KubeObject } from '../../lib/runtime/kube/types';
import { createRegistryCredentialsCommand } from '../../lib/runtime/registry-credentials/command';
import { runtimeKubeConfig } from '../../lib/runtime/runtime-config';
import { testKube, type TestKube } from '../support/kube';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';
import { synthApp, type Manifest } from '../support/synth-app';
import { pushBusyboxBase, readFileFromImage } from '../support/tekton/build-fixtures';
import { playTekton } from '../support/tekton/play-tekton';
import { memoryLogger } from '../runtime/controller/cluster';
import { eventually } from '../runtime/controller/eventually';

type Secret = KubeObject & { data: Record<string, string> };
type Deployment = KubeObject & { spec: { template: { spec: { containers: { name: string; image: string }[]; imagePullSecrets?: { name: string }[] } } } };

let t: TestKube;
let kube: KubeClient;
let NS: string;
let SYS: string;
let registry: RunningRegistry;
let objects: Manifest[];
let dir: string;
let login: { username: string; password: string };
let stop: (() => Promise<number>) | undefined;

/** The Service's name and port, and where the test registry listens instead: a loopback address of its own, same port. */
const serviceHost = () => `imagestreams-registry.${SYS}.svc:5000`;
const loopback = `127.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

function chain(c: Chart): void {
  const base = new ImageStream(c, 'base');
  const app = new ImageStream(c, 'app');
  new BuildConfig(c, 'base-build', {
    name: 'base',
    source: BuildSource.dockerfile(`FROM ${serviceHost()}/fixtures/busybox:1\nRUN echo base-v1 > /etc/chain-base\n`),
    // Its own FROM is in the registry too: it names the registry's Secret itself.
    strategy: BuildStrategy.dockerfile({ pullSecret: 'imagestreams-registry' }),
    output: BuildOutput.imageStreamTag(base.tag('latest')),
  });
  new BuildConfig(c, 'app-build', {
    name: 'app',
    // Only BASE_IMAGE, the base's digest, makes this build.
    source: BuildSource.dockerfile('FROM registry.invalid/base:latest\nRUN cat /etc/chain-base > /seen-base\n'),
    strategy: BuildStrategy.dockerfile({ from: base.tag('latest') }),
    output: BuildOutput.imageStreamTag(app.tag('latest')),
  });
  const web = new kplus.Deployment(c, 'web', { containers: [{ name: 'web', image: 'registry.invalid/app:latest' }] });
  app.tag('latest').deployTo(web, { container: 'web' });
}

beforeAll(async () => {
  t = await testKube('chain');
  kube = t.kube;
  NS = t.namespace;
  SYS = await t.newNamespace('chain-sys');
  dir = mkdtempSync(path.join(os.tmpdir(), 'chain-e2e-'));
  chmodSync(dir, 0o755);
  objects = [...synthApp(({ chart }) => chain(chart(NS)), {
    namespace: SYS, createNamespace: false, createAppNamespaces: false, registry: StreamRegistry.inCluster({ nodePort: 32000 }),
  }).objects];
  // What `kubectl apply -f dist/` creates: the app's namespace, and the credentials Job's account and Roles
  await t.apply(objects.filter((o) => o.metadata.namespace === NS || (o.metadata.namespace === SYS && /registry-credentials/.test(o.metadata.name) && o.kind !== 'Job')));
  // The Job runs (its command, as its ServiceAccount): the password, and the Secret in NS
  const job = objects.find((o) => o.kind === 'Job')!.spec.template.spec;
  const kubeconfig = t.cluster.kubeconfigFor(await t.cluster.tokenFor(SYS, job.serviceAccountName), { namespace: SYS });
  const code = await createRegistryCredentialsCommand({ loadConfig: () => loadKubeconfig({ path: kubeconfig }), stdout: () => undefined })
    .run(job.containers[0].command.slice(3));
  expect(code).toBe(0);
  const auth = await kube.resource<Secret>({ apiVersion: 'v1', resource: 'secrets', namespace: SYS }).get('imagestreams-registry-auth');
  login = { username: 'imagestreams', password: Buffer.from(auth.data.password, 'base64').toString('utf8') };
  // The registry with that password, at the Service's port
  registry = await startRegistry({ auth: 'htpasswd', users: { [login.username]: login.password }, listen: `${loopback}:5000` });
  await pushBusyboxBase(registry.host, 'fixtures/busybox:1', 'unused', login);
}, 240_000);

afterAll(async () => {
  await stop?.();
  t?.close();
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function startController(): void {
  const abort = new AbortController();
  const exit = createControllerCommand({ loadConfig: () => runtimeKubeConfig({ IMAGESTREAMS_KUBECONFIG: t.kubeconfigPath }), log: memoryLogger(), signal: abort.signal })
    .run(['--identity', 'chain', '--lease-namespace', NS, '--namespaces', NS, '--debounce-seconds', '0']);
  stop = async () => (abort.abort(), stop = undefined, exit);
}

const runs = () => kube.resource<PipelineRun>({ ...PIPELINERUNS, namespace: NS });
const play = (name: string) => playTekton({ kube, namespace: NS, objects, dir, hosts: { [`imagestreams-registry.${SYS}.svc`]: loopback } }, name);
const newest = async (stream: string) => (await kube.resource<ImageStreamObject & KubeObject>({ ...IMAGESTREAMS, namespace: NS }).get(stream)).status?.tags?.find((x) => x.tag === 'latest')?.items?.[0];



describe('a chain of builds in the cluster, through the in-cluster registry', () => {
  it('base built → app built FROM it at the registry\'s in-cluster address with its credentials → the Deployment at the nodes\' address', async () => {
    startController();
    // GIVEN base's first build (a config change), run as Tekton would, pushing to the registry's Service
    await eventually(async () => expect((await runs().list()).items.map((r) => r.metadata.name)).toContain('base-1'), 20_000);
    const baseResults = await play('base-1');
    const baseDigest = baseResults.IMAGE_DIGEST.trim();
    await eventually(async () => expect((await newest('base'))?.dockerImageReference).toBe(`${serviceHost()}/${NS}/base@${baseDigest}`), 20_000);
    // WHEN the controller starts app's build FROM base:latest
    await eventually(async () => expect((await runs().list()).items.map((r) => r.metadata.name)).toContain('app-1'), 20_000);
    const run = await runs().get('app-1');
    // THEN BASE_IMAGE is the base's digest at the address build pods reach (not localhost:32000)
    expect(run.spec.params).toContainEqual({ name: 'BASE_IMAGE', value: `${serviceHost()}/${NS}/base@${baseDigest}` });
    // AND the build step gets the registry's credentials to pull it
    expect(run.spec.workspaces).toContainEqual({ name: 'pull-dockerconfig', secret: { secretName: 'imagestreams-registry' } });
    // AND the build runs FROM it
    const appResults = await play('app-1');
    const appDigest = appResults.IMAGE_DIGEST.trim();
    expect(await readFileFromImage(registry.host, `${NS}/app@${appDigest}`, 'seen-base', login)).toBe('base-v1\n');
    // AND the registry served the base's manifest by digest to that build, with the credentials
    const log = await registry.accessLog();
    expect(log).toContainEqual({ method: 'GET', path: `/v2/${NS}/base/manifests/${baseDigest}`, status: 200 });
    // AND the Deployment runs app at the nodes' address, with the registry's pull Secret
    const deployment = () => kube.resource<Deployment>({ apiVersion: 'apps/v1', resource: 'deployments', namespace: NS })
      .get(objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === NS)!.metadata.name);
    await eventually(async () => expect((await deployment()).spec.template.spec.containers[0].image).toBe(`localhost:32000/${NS}/app@${appDigest}`), 20_000);
    expect((await deployment()).spec.template.spec.imagePullSecrets).toEqual([{ name: 'imagestreams-registry' }]);
  }, 300_000);
});
