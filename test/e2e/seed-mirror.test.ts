/**
 * The seed workflow with `jdk8` mirrored (issue #19): jdk8:latest is imported with referencePolicy
 * Local, so its image is copied from the "external" registry into the stream's registry before it
 * is recorded; then the external registry is stopped. The foo build still runs (its base pulled
 * from the stream's registry, with that registry's credentials) and foo rolls out; a Deployment
 * that follows jdk8:latest runs the internal copy too. Real parts: two CNCF distribution
 * registries (the stream's with htpasswd auth, at an address of the loopback range, as a cluster
 * registry at its Service's port), the real API server and kube-controller-manager, the controller
 * command, and the emitted Pipeline run by the step runner with git and buildah.
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
import { importStream } from '../../lib/runtime/importer/import-stream';
import type { KubeClient } from '../../lib/runtime/kube/client';
import type { KubeObject } from '../../lib/runtime/kube/types';
import { runtimeKubeConfig } from '../../lib/runtime/runtime-config';
import { testKube, type TestKube } from '../support/kube';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';
import { synthApp, type Manifest } from '../support/synth-app';
import { makeGitRepo, pushBusyboxBase, readFileFromImage, servedDigest, type GitRepo } from '../support/tekton/build-fixtures';
import { playTekton } from '../support/tekton/play-tekton';
import { memoryLogger } from '../runtime/controller/cluster';
import { eventually } from '../runtime/controller/eventually';

type Secret = KubeObject & { data: Record<string, string> };
type Deployment = KubeObject & { spec: { template: { spec: { containers: { name: string; image: string }[]; imagePullSecrets?: { name: string }[] } } } };
type ReplicaSet = KubeObject & { metadata: { ownerReferences?: { name: string }[] }; spec: { template: { spec: { containers: { image: string }[] } } } };

const LOGIN = { username: 'imagestreams', password: `pw-${Math.random().toString(36).slice(2)}` };
const SECRET = 'stream-registry';
const loopback = `127.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

let t: TestKube;
let kube: KubeClient;
let NS: string;
let external: RunningRegistry;
let internal: RunningRegistry;
let objects: Manifest[];
let dir: string;
let repo: GitRepo;
let stop: (() => Promise<number>) | undefined;
let externalStopped = false;

function seed(c: Chart): void {
  const jdk8 = new ImageStream(c, 'jdk8');
  jdk8.importTag('latest', { from: `${external.host}/library/eclipse-temurin:8-jdk`, insecure: true, referencePolicy: 'Local' });
  const foo = new ImageStream(c, 'foo');
  new BuildConfig(c, 'foo-build', {
    name: 'foo',
    source: BuildSource.git({ uri: repo.url, ref: 'main' }),
    strategy: BuildStrategy.dockerfile({ from: jdk8.tag('latest') }),
    output: BuildOutput.imageStreamTag(foo.tag('latest')),
  });
  const fooApp = new kplus.Deployment(c, 'foo-app', { containers: [{ name: 'foo', image: 'registry.invalid/foo:latest', portNumber: 8080 }] });
  foo.tag('latest').deployTo(fooApp, { container: 'foo' });
  // A workload of the mirrored tag itself
  const jdkApp = new kplus.Deployment(c, 'jdk-app', { containers: [{ name: 'jdk', image: 'registry.invalid/jdk:8', portNumber: 8080 }] });
  jdk8.tag('latest').deployTo(jdkApp, { container: 'jdk' });
}

beforeAll(async () => {
  [external, internal] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'htpasswd', users: { [LOGIN.username]: LOGIN.password }, listen: `${loopback}:5000` }),
  ]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'seed-mirror-'));
  chmodSync(dir, 0o755);
  await pushBusyboxBase(external.host, 'library/eclipse-temurin:8-jdk', 'jdk-v1');
  // The Dockerfile's FROM exists nowhere: only BASE_IMAGE (the stream's digest) makes it build.
  repo = await makeGitRepo(path.join(dir, 'foo'), { Dockerfile: 'FROM registry.invalid/eclipse-temurin:8-jdk\nRUN cat /etc/base-marker > /seen-base\n' });
  t = await testKube('mirror');
  NS = t.namespace;
  kube = t.kube;
  const registry = StreamRegistry.external({ host: internal.host, insecure: true, pushSecret: SECRET, pullSecret: SECRET });
  objects = synthApp(({ chart }) => seed(chart(NS)), { registry }).objects.filter((o) => o.metadata.namespace === NS);
  // The registry's credentials, as `kubectl create secret docker-registry` makes them
  const auth = Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64');
  const config = Buffer.from(JSON.stringify({ auths: { [internal.host]: { auth } } })).toString('base64');
  await kube.resource<Secret>({ apiVersion: 'v1', resource: 'secrets', namespace: NS }).create({
    apiVersion: 'v1', kind: 'Secret', metadata: { name: SECRET, namespace: NS }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': config },
  } as Secret);
  await t.apply(objects);
}, 240_000);

afterAll(async () => {
  await stop?.();
  t?.close();
  await Promise.all([externalStopped ? undefined : external?.close(), internal?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function startController(): void {
  const abort = new AbortController();
  const exit = createControllerCommand({ loadConfig: () => runtimeKubeConfig({ IMAGESTREAMS_KUBECONFIG: t.kubeconfigPath }), log: memoryLogger(), signal: abort.signal })
    .run(['--identity', 'mirror', '--lease-namespace', NS, '--namespaces', NS, '--debounce-seconds', '0']);
  stop = async () => (abort.abort(), stop = undefined, exit);
}

const runs = () => kube.resource<PipelineRun>({ ...PIPELINERUNS, namespace: NS });
const play = (name: string) => playTekton({ kube, namespace: NS, objects, dir }, name);
const streams = () => kube.resource<ImageStreamObject & KubeObject>({ ...IMAGESTREAMS, namespace: NS });
const latest = async (stream: string) => (await streams().get(stream)).status?.tags?.find((x) => x.tag === 'latest');
const deployment = (name: string) => kube.resource<Deployment>({ apiVersion: 'apps/v1', resource: 'deployments', namespace: NS })
  .get(objects.find((o) => o.kind === 'Deployment' && o.metadata.name.includes(name))!.metadata.name);



describe('the seed workflow with jdk8 mirrored', () => {
  it('imports jdk8 into the stream registry; with the external registry stopped, foo still builds FROM it and rolls out', async () => {
    // GIVEN jdk8:latest imported (the controller imports a new tag at once; the CronJob's import is the same code)
    startController();
    const report = await importStream(kube, { namespace: NS, stream: 'jdk8' });
    expect(report.results).toMatchObject([{ tag: 'latest', ok: true }]);
    const jdk = await servedDigest(external.url, 'library/eclipse-temurin', '8-jdk');
    const item = (await latest('jdk8'))!.items![0];
    expect(item).toMatchObject({ image: jdk, dockerImageReference: `${external.host}/library/eclipse-temurin@${jdk}` });
    // THEN the stream's registry holds the same image under the stream's repository, by the same digest
    const copied = (await internal.accessLog()).filter((e) => e.method === 'PUT' && e.path === `/v2/${NS}/jdk8/manifests/${jdk}`);
    expect(copied.map((e) => e.status)).toContain(201);

    // WHEN the external registry is gone
    await external.close();
    externalStopped = true;

    // THEN foo's build starts FROM the internal copy, by digest
    await eventually(async () => expect((await runs().list()).items.map((r) => r.metadata.name)).toContain('foo-1'), 20_000);
    const run = await runs().get('foo-1');
    expect(run.spec.params).toContainEqual({ name: 'BASE_IMAGE', value: `${internal.host}/${NS}/jdk8@${jdk}` });
    expect(run.spec.workspaces).toContainEqual({ name: 'pull-dockerconfig', secret: { secretName: SECRET } });
    // AND it runs: the base comes from the stream's registry, with its credentials
    const pullsBefore = (await internal.accessLog()).length;
    const results = await play('foo-1');
    const built = results.IMAGE_DIGEST.trim();
    const buildRequests = (await internal.accessLog()).slice(pullsBefore);
    expect(buildRequests).toContainEqual({ method: 'GET', path: `/v2/${NS}/jdk8/manifests/${jdk}`, status: 200 });
    expect(await readFileFromImage(internal.host, `${NS}/foo@${built}`, 'seen-base', LOGIN)).toBe('jdk-v1\n');
    // AND foo:latest records it, and the foo Deployment rolls out to it (a ReplicaSet of the real deployment controller runs it)
    await eventually(async () => expect((await latest('foo'))?.items?.[0]?.image).toBe(built), 20_000);
    const fooImage = `${internal.host}/${NS}/foo@${built}`;
    await eventually(async () => expect((await deployment('foo-app')).spec.template.spec.containers[0].image).toBe(fooImage), 20_000);
    const fooName = (await deployment('foo-app')).metadata.name;
    await eventually(async () => {
      const sets = (await kube.resource<ReplicaSet>({ apiVersion: 'apps/v1', resource: 'replicasets', namespace: NS }).list()).items;
      expect(sets.filter((s) => s.metadata.ownerReferences?.some((o) => o.name === fooName)).map((s) => s.spec.template.spec.containers[0].image)).toContain(fooImage);
    }, 30_000);
    // AND the workload that follows jdk8:latest runs the internal copy, pulled with the registry's Secret
    await eventually(async () => expect((await deployment('jdk-app')).spec.template.spec.containers[0].image).toBe(`${internal.host}/${NS}/jdk8@${jdk}`), 20_000);
    expect((await deployment('jdk-app')).spec.template.spec.imagePullSecrets).toEqual([{ name: SECRET }]);

    // AND an import while the source is gone fails without losing the recorded image
    const again = await importStream(kube, { namespace: NS, stream: 'jdk8' });
    expect(again.results).toMatchObject([{ tag: 'latest', ok: false, reason: 'Unreachable' }]);
    expect((await latest('jdk8'))!.items![0]).toEqual(item);
  }, 300_000);
});
