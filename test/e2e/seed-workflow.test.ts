/**
 * The seed workflow end to end: a new JDK 8 image in a real registry is imported by the real
 * importer, the controller (the real command) starts a foo build FROM its digest, the emitted
 * Pipeline and Tasks run for real (git, buildah) with the params of that PipelineRun, their result
 * is written back as Tekton would, foo:latest moves to the pushed digest and the foo Deployment is
 * set to it. The controller is stopped and started between steps: no duplicate run, no missed rollout.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry } from '../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../constructs/buildconfig';
import type { ImageStreamObject } from '../../lib/api/imagestream';
import type { PipelineRun } from '../../lib/api/pipeline-run';
import { createControllerCommand } from '../../lib/runtime/controller/command';
import { importStream } from '../../lib/runtime/importer/import-stream';
import type { KubeClient } from '../../lib/runtime/kube/client';
import type { KubeObject } from '../../lib/runtime/kube/types';
import { runtimeKubeConfig } from '../../lib/runtime/runtime-config';
import { testKube, type TestKube } from '../support/kube';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';
import { makeGitRepo, pushBusyboxBase, readFileFromImage, servedDigest, type GitRepo } from '../support/tekton/build-fixtures';
import { playTekton } from '../support/tekton/play-tekton';
import { memoryLogger } from '../runtime/controller/cluster';
import { eventually } from '../runtime/controller/eventually';
import { IMAGESTREAMS, PIPELINERUNS } from '../../lib/api/group';
import { synthApp } from '../support/synth-app';

type Synthesized = KubeObject & { spec: Record<string, unknown> };
type Deployment = KubeObject & { spec: { template: { spec: { containers: { name: string; image: string }[] } } } };

let NS: string;

let registry: RunningRegistry;
let t: TestKube;
let kube: KubeClient;
let dir: string;
let repo: GitRepo;
let objects: Synthesized[];

/** The seed app, with the local registry behind its streams and as the source of jdk8. */
function synthesizeSeed(): Synthesized[] {
  return synthApp(({ chart }) => seedChart(chart(NS)), { registry: StreamRegistry.external({ host: registry.host, insecure: true }) })
    .objects.filter((o) => o.metadata.namespace === NS) as Synthesized[];
}

function seedChart(seed: Chart): void {
  const jdk8 = new ImageStream(seed, 'jdk8');
  jdk8.importTag('latest', { from: `${registry.host}/mirror/eclipse-temurin:8-jdk`, insecure: true });
  const foo = new ImageStream(seed, 'foo');
  new BuildConfig(seed, 'foo-build', {
    name: 'foo',
    source: BuildSource.git({ uri: repo.url, ref: 'main' }),
    strategy: BuildStrategy.dockerfile({ from: jdk8.tag('latest') }),
    output: BuildOutput.imageStreamTag(foo.tag('latest')),
  });
  const fooApp = new kplus.Deployment(seed, 'foo-app', { containers: [{ name: 'foo', image: `${registry.host}/${NS}/foo:latest`, portNumber: 8080 }] });
  foo.tag('latest').deployTo(fooApp, { container: 'foo' });
}

beforeAll(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(path.join(os.tmpdir(), 'seed-e2e-'));
  chmodSync(dir, 0o755);
  await pushBusyboxBase(registry.host, 'mirror/eclipse-temurin:8-jdk', 'jdk-v1');
  // The Dockerfile's FROM exists nowhere: only BASE_IMAGE (the stream's digest) makes it build.
  repo = await makeGitRepo(path.join(dir, 'foo'), { Dockerfile: 'FROM registry.invalid/eclipse-temurin:8-jdk\nRUN cat /etc/base-marker > /seen-base\n' });
  t = await testKube('seed');
  NS = t.namespace;
  kube = t.kube;
  objects = synthesizeSeed();
  // What `kubectl apply -f dist/` creates of the seed chart, on the real API server, through Tekton's
  // admission (the controller's part runs here in-process).
  await t.apply(objects);
}, 240_000);

afterAll(async () => {
  await stopController?.();
  t?.close();
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let stopController: (() => Promise<number>) | undefined;

/** Runs the `controller` command, as the System's Deployment does, against the real API server. */
function startController(identity: string): void {
  const abort = new AbortController();
  const exit = createControllerCommand({ loadConfig: () => runtimeKubeConfig({ IMAGESTREAMS_KUBECONFIG: t.kubeconfigPath }), log: memoryLogger(), signal: abort.signal })
    .run(['--identity', identity, '--lease-namespace', NS, '--namespaces', NS, '--debounce-seconds', '0']);
  stopController = async () => (abort.abort(), stopController = undefined, exit);
}

const pipelineRuns = () => kube.resource<PipelineRun>({ ...PIPELINERUNS, namespace: NS });
const play = (name: string) => playTekton({ kube, namespace: NS, objects, dir }, name);
const fooRuns = async () => (await pipelineRuns().list({ labelSelector: 'imagestreams.dev/buildconfig=foo' })).items.map((r) => r.metadata.name).sort();
const streams = () => kube.resource<ImageStreamObject & KubeObject>({ ...IMAGESTREAMS, namespace: NS });
const newest = async (stream: string, tag: string) => (await streams().get(stream)).status?.tags?.find((t) => t.tag === tag)?.items?.[0];
const deploymentName = () => objects.find((o) => o.kind === 'Deployment')!.metadata.name!;
const fooImage = async () => (await kube.resource<Deployment>({ apiVersion: 'apps/v1', resource: 'deployments', namespace: NS }).get(deploymentName())).spec.template.spec.containers[0].image;


describe('the seed workflow', () => {
  it('import → build FROM the new digest → foo:latest → the Deployment, across controller restarts', async () => {
    startController('seed-1');
    // 1. The scheduled import records jdk8:latest
    const first = await importStream(kube, { namespace: NS, stream: 'jdk8' });
    expect(first.moved).toEqual(['latest']);
    const jdk1 = (await newest('jdk8', 'latest'))!;
    expect(jdk1.dockerImageReference).toBe(`${registry.host}/mirror/eclipse-temurin@${await servedDigest(registry.url, 'mirror/eclipse-temurin', '8-jdk')}`);
    // 2. foo's first build starts FROM exactly that digest
    await eventually(async () => expect(await fooRuns()).toEqual(['foo-1']), 20_000);
    const run1 = await pipelineRuns().get('foo-1');
    expect(run1.spec.params).toEqual([
      { name: 'URL', value: repo.url }, { name: 'REVISION', value: 'main' }, { name: 'CONTEXT_DIR', value: '.' }, { name: 'BASE_IMAGE', value: jdk1.dockerImageReference },
    ]);
    // 3. Tekton runs it (the controller restarts meanwhile)
    await stopController!();
    const results1 = await play('foo-1');
    startController('seed-2');
    // 4. foo:latest moves to the pushed digest, the one the registry serves
    const built1 = await servedDigest(registry.url, `${NS}/foo`, 'latest');
    expect(results1.IMAGE_DIGEST.trim()).toBe(built1);
    await eventually(async () => expect((await newest('foo', 'latest'))?.dockerImageReference).toBe(`${registry.host}/${NS}/foo@${built1}`), 20_000);
    // 5. the Deployment runs it, by digest
    await eventually(async () => expect(await fooImage()).toBe(`${registry.host}/${NS}/foo@${built1}`), 20_000);
    expect(await readFileFromImage(registry.host, `${NS}/foo@${built1}`, 'seen-base')).toBe('jdk-v1\n');

    // A new JDK 8 is pushed and imported while the controller is down
    await stopController!();
    await pushBusyboxBase(registry.host, 'mirror/eclipse-temurin:8-jdk', 'jdk-v2');
    expect((await importStream(kube, { namespace: NS, stream: 'jdk8' })).moved).toEqual(['latest']);
    const jdk2 = (await newest('jdk8', 'latest'))!;
    expect(jdk2.image).not.toBe(jdk1.image);
    startController('seed-3');
    // exactly one new build, FROM the new digest
    await eventually(async () => expect(await fooRuns()).toEqual(['foo-1', 'foo-2']), 20_000);
    expect((await pipelineRuns().get('foo-2')).spec.params).toEqual([
      { name: 'URL', value: repo.url }, { name: 'REVISION', value: 'main' }, { name: 'CONTEXT_DIR', value: '.' }, { name: 'BASE_IMAGE', value: jdk2.dockerImageReference },
    ]);
    await play('foo-2');
    const built2 = await servedDigest(registry.url, `${NS}/foo`, 'latest');
    expect(built2).not.toBe(built1);
    await eventually(async () => expect(await fooImage()).toBe(`${registry.host}/${NS}/foo@${built2}`), 20_000);
    expect(await readFileFromImage(registry.host, `${NS}/foo@${built2}`, 'seen-base')).toBe('jdk-v2\n');
    // AND one more restart changes nothing: no third run, foo's history holds each build once
    await stopController!();
    startController('seed-4');
    await eventually(async () => expect((await kube.resource({ apiVersion: 'imagestreams.dev/v1alpha1', resource: 'buildconfigs', namespace: NS }).get('foo')).status).toMatchObject({ lastVersion: 2 }));
    expect(await fooRuns()).toEqual(['foo-1', 'foo-2']);
    expect((await streams().get('foo')).status?.tags?.find((t) => t.tag === 'latest')?.items?.map((i) => i.image)).toEqual([built2, built1]);
  }, 300_000);
});
