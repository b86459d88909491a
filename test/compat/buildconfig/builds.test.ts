/**
 * OpenShift's own BuildConfig YAML, with only its apiVersion changed, builds the image that the same
 * build written with our constructs builds — the same digest. Per strategy (Docker, S2I): the
 * construct-written app is synthesized and applied, the controller (with the args the System gives
 * it) starts its build, the emitted Pipeline runs through the step runner with real git, buildah and
 * the real registry; then the BuildConfig is replaced by the OpenShift YAML (kubectl apply, strict
 * field validation, no Pipeline of its own), the controller embeds the Pipeline made from that spec
 * in the run (Tekton's admission validates it), and that run builds. Builds are reproducible (the
 * commit's time), so one image means one digest.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger } from '../../../constructs/buildconfig';
import type { PipelineRun } from '../../../lib/api/pipeline-run';
import { createControllerCommand } from '../../../lib/runtime/controller/command';
import { runtimeKubeConfig } from '../../../lib/runtime/runtime-config';
import { memoryLogger } from '../../runtime/controller/cluster';
import { eventually } from '../../runtime/controller/eventually';
import { testKube, type TestKube } from '../../support/kube';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { synthApp, type Manifest } from '../../support/synth-app';
import { makeGitRepo, pushBusyboxBase, pushReproducibleS2IBuilder, readFileFromImage, type GitRepo } from '../../support/tekton/build-fixtures';
import { playTekton } from '../../support/tekton/play-tekton';

let t: TestKube;
let registry: RunningRegistry;
let dir: string;
let dockerRepo: GitRepo;
let s2iRepo: GitRepo;
let base: string;
let builder: string;

beforeAll(async () => {
  t = await testKube('compat-build');
  registry = await startRegistry();
  dir = mkdtempSync(path.join(os.tmpdir(), 'compat-build-'));
  chmodSync(dir, 0o755);
  await pushBusyboxBase(registry.host, 'fixtures/base:1', 'compat-base');
  base = `${registry.host}/fixtures/base:1`;
  await pushReproducibleS2IBuilder(registry.host, 'fixtures/builder:1', base);
  builder = `${registry.host}/fixtures/builder:1`;
  dockerRepo = await makeGitRepo(path.join(dir, 'docker-repo'), {
    Dockerfile: 'FROM registry.invalid/nothing:1\nARG VERSION\nRUN cat /etc/base-marker > /seen-base && echo "$GREETING $VERSION" > /greeting\n',
  });
  s2iRepo = await makeGitRepo(path.join(dir, 's2i-repo'), { 'hello.txt': 'hello from s2i\n' });
}, 240_000);

afterAll(async () => {
  t?.close();
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Case {
  readonly name: string;
  /** The construct-written BuildConfig, named `app`, pushing to stream `app` tag latest. */
  readonly construct: (stream: ImageStream) => ConstructorParameters<typeof BuildConfig>[2];
  /** The same build as OpenShift YAML, apiVersion changed; `$NS` is the namespace. */
  readonly openshift: () => string;
  /** Replace the synthesized stream by OpenShift's (no spec: the System's registry keeps its images). */
  readonly openshiftStream?: boolean;
  /** A file of the built image and its content. */
  readonly file: readonly [string, string];
}

const CASES: readonly Case[] = [
  {
    name: 'Docker strategy: a fixed base, env, build args and image labels',
    construct: (stream) => ({
      name: 'app',
      source: BuildSource.git({ uri: dockerRepo.url, ref: 'main' }),
      strategy: BuildStrategy.dockerfile({ from: base, env: { GREETING: 'hello' }, buildArgs: { VERSION: '1.2' } }),
      output: BuildOutput.imageStreamTag(stream.tag('latest'), { imageLabels: { team: 'compat' } }),
      triggers: [BuildTrigger.configChange()],
    }),
    openshift: () => `
apiVersion: imagestreams.dev/v1alpha1
kind: BuildConfig
metadata:
  name: app
  labels:
    app: app
spec:
  runPolicy: Serial
  source:
    git:
      uri: ${dockerRepo.url}
      ref: main
  strategy:
    dockerStrategy:
      from:
        kind: DockerImage
        name: ${base}
      env:
      - name: GREETING
        value: hello
      buildArgs:
      - name: VERSION
        value: "1.2"
  output:
    to:
      kind: ImageStreamTag
      name: app:latest
    imageLabels:
    - name: team
      value: compat
  triggers:
  - type: ConfigChange
`,
    file: ['greeting', 'hello 1.2\n'],
  },
  {
    name: 'Source strategy (S2I): a builder image, env, output to an OpenShift ImageStream without spec',
    construct: (stream) => ({
      name: 'app',
      source: BuildSource.git({ uri: s2iRepo.url, ref: 'main' }),
      strategy: BuildStrategy.sourceToImage({ builderImage: builder, env: { GREETING: 'hi' } }),
      output: BuildOutput.imageStreamTag(stream.tag('latest')),
      triggers: [BuildTrigger.configChange()],
    }),
    openshift: () => `
apiVersion: imagestreams.dev/v1alpha1
kind: BuildConfig
metadata:
  name: app
spec:
  source:
    type: Git
    git:
      uri: ${s2iRepo.url}
      ref: main
  strategy:
    type: Source
    sourceStrategy:
      from:
        kind: DockerImage
        name: ${builder}
      env:
      - name: GREETING
        value: hi
  output:
    to:
      kind: ImageStreamTag
      name: app:latest
  triggers:
  - type: ConfigChange
`,
    openshiftStream: true,
    file: ['app/greeting', 'hi\n'],
  },
];

describe('an OpenShift BuildConfig applied as YAML', () => {
  for (const c of CASES) {
    it(`builds the image its construct-written equivalent builds — ${c.name}`, async () => {
      // GIVEN the construct-written build, synthesized and applied in a namespace of its own
      const ns = await t.newNamespace('compat-build');
      const { objects } = synthApp(({ chart }) => {
        const chartNs = chart(ns);
        new BuildConfig(chartNs, 'build', c.construct(new ImageStream(chartNs, 'app')));
      }, { namespace: 'imagestreams', createNamespace: false, createAppNamespaces: false, registry: StreamRegistry.external({ host: registry.host, insecure: true }) });
      await t.apply(objects.filter((o) => o.metadata.namespace === ns) as never);
      const stop = startController(ns, controllerArgs(objects));
      try {
        // WHEN the controller builds it, and the emitted Pipeline runs
        const first = await builtDigest(ns, objects);
        expect(first.run.spec.pipelineRef).toEqual({ name: 'app' });
        // AND the BuildConfig is replaced by OpenShift's YAML (and, for S2I, the stream by OpenShift's)
        await deleteBuild(ns);
        if (c.openshiftStream) {
          await t.cluster.kubectl(['delete', '-n', ns, 'imagestreams.imagestreams.dev', 'app', '--wait=true']);
          await t.cluster.kubectl(['apply', '-n', ns, '-f', '-'], { input: 'apiVersion: imagestreams.dev/v1alpha1\nkind: ImageStream\nmetadata:\n  name: app\n' });
        }
        await t.cluster.kubectl(['apply', '-n', ns, '-f', '-'], { input: c.openshift() });
        const second = await builtDigest(ns, []);
        // THEN its run embeds the Pipeline (no Pipeline object of its own), and builds the same image
        expect(second.run.spec.pipelineRef).toBeUndefined();
        expect(second.run.spec.pipelineSpec?.tasks.map((task) => [task.name, task.taskRef, !!task.taskSpec])).toEqual(
          (objects.find((o) => o.kind === 'Pipeline')!.spec as { tasks: { name: string }[] }).tasks.map((task) => [task.name, undefined, true]),
        );
        expect(second.digest).toBe(first.digest);
        expect(await readFileFromImage(registry.host, `${ns}/app@${second.digest}`, c.file[0])).toBe(c.file[1]);
        // AND the BuildConfig says where its builds push (start-build uploads sources next to it)
        await eventually(async () => expect((await t.buildConfigs(ns).get('app')).status?.outputDockerImageReference).toBe(`${registry.host}/${ns}/app:latest`), 20_000);
        // AND the stream records it
        await eventually(async () => expect((await t.streams(ns).get('app')).status?.tags?.find((tag) => tag.tag === 'latest')?.items?.[0]?.image).toBe(second.digest), 20_000);
      } finally {
        await stop();
      }
    }, 300_000);
  }
});

/** The controller's args as the System writes them in its Deployment, for this namespace. */
function controllerArgs(objects: readonly Manifest[]): string[] {
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'imagestreams-controller')!;
  const command: string[] = deployment.spec.template.spec.containers[0].command;
  const at = command.indexOf('--stream-registry');
  expect(at).toBeGreaterThan(0);
  return command.slice(at, at + 2);
}

function startController(ns: string, extra: readonly string[]): () => Promise<number> {
  const abort = new AbortController();
  const exit = createControllerCommand({ loadConfig: () => runtimeKubeConfig({ IMAGESTREAMS_KUBECONFIG: t.kubeconfigPath }), log: memoryLogger(), signal: abort.signal })
    .run(['--identity', `compat-${ns}`, '--lease-namespace', ns, '--namespaces', ns, '--debounce-seconds', '0', ...extra]);
  return async () => (abort.abort(), exit);
}

/** Waits for build app-1, plays it as Tekton would, and returns the run and the digest it pushed. */
async function builtDigest(ns: string, objects: readonly Manifest[]): Promise<{ run: PipelineRun; digest: string }> {
  const runs = t.pipelineRuns(ns);
  const run = await eventually(async () => runs.get('app-1'), 30_000);
  await eventually(async () => expect((await runs.get('app-1')).spec.status).toBeUndefined(), 30_000);
  const results = await playTekton({ kube: t.kube, namespace: ns, objects, dir }, 'app-1');
  return { run, digest: results.IMAGE_DIGEST.trim() };
}

/** Deletes the BuildConfig and its runs, and waits until they are gone. */
async function deleteBuild(ns: string): Promise<void> {
  await t.cluster.kubectl(['delete', '-n', ns, 'buildconfigs.imagestreams.dev', 'app', '--wait=true']);
  await t.cluster.kubectl(['delete', '-n', ns, 'pipelineruns.tekton.dev', '--all', '--wait=true']);
}
