import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamRegistry, System } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../../constructs/buildconfig';
import type { PipelineSpec, TaskSpec } from '../../../constructs/tekton';
import { pipelineRunFor, type BuildConfigLike } from '../../../lib/api/build-run';
import { run } from '../../support/registry/exec';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { imageConfig, makeGitRepo, pushBusyboxBase, readFileFromImage, writeFiles } from '../../support/tekton/build-fixtures';
import { runPipeline } from '../../support/tekton/run-pipeline';

/**
 * What the user writes reaches the build as written: values with `$(date)`, `$$`, `$(params.x)`,
 * `$(context.…)`, `$(KUBERNETES_SERVICE_HOST)` and `%24` go through the emitted Pipeline — its
 * defaults, the params of the run pipelineRunFor makes, Tekton's substitution passes and the
 * kubelet's `$(VAR)` expansion, as the step runner plays them — and the image equals the one buildah
 * builds from the same inputs by hand.
 */

const ARGS = { A: '$(date)', B: 'cost $$5 and $5', C: '$(params.IMAGE)', D: '$(context.taskRun.name) $(workspaces.source.path) %24 100%' };
const ENV = { E: '$(PARAM_IMAGE) $(KUBERNETES_SERVICE_HOST)', F: '$$HOME $(tasks.fetch.results.COMMIT)' };
const LABELS = { 'x.literal': '$(params.IMAGE) $$ $(date) %25' };
const CONTEXT_DIR = 'app $$ $(date)';
const DOCKERFILE_PATH = 'build/Dockerfile.$(params.DOCKERFILE)';

let registry: RunningRegistry;
let dir: string;
let base: string;
let baseDigest: string;

const dockerfile = (from: string) => [
  `FROM ${from}`,
  'ARG A',
  'ARG B',
  'ARG C',
  'ARG D',
  'COPY hello.txt /hello.txt',
  'RUN printf "%s\\n" "$A" "$B" "$C" "$D" "$E" "$F" > /args',
  "RUN echo '$(params.IMAGE) $$ $(date)' > /literal",
  'LABEL from.dockerfile="$(params.IMAGE) $$(x)"',
].join('\n');

beforeAll(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(path.join(os.tmpdir(), 'literal-values-'));
  chmodSync(dir, 0o755);
  baseDigest = await pushBusyboxBase(registry.host, 'base:1', 'base');
  base = `${registry.host}/base:1`;
});
afterAll(async () => {
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The image buildah builds by hand from the inputs: the Dockerfile with the env after FROM, args, labels. */
async function buildByHand(context: string, target: string): Promise<void> {
  const storage = ['--root', path.join(dir, 'hand', 'root'), '--runroot', path.join(dir, 'hand', 'runroot'), '--storage-driver', 'vfs'];
  const envLines = Object.entries(ENV).map(([k, v]) => `ENV ${k}="${v.replace(/[\\"$]/g, '\\$&')}"`);
  const lines = readFileSync(path.join(context, DOCKERFILE_PATH), 'utf8').split('\n');
  await writeFiles(path.join(dir, 'hand'), { Dockerfile: [lines[0], ...envLines, ...lines.slice(1)].join('\n') });
  await run('buildah', [
    ...storage, 'bud', '--isolation', 'chroot', '--tls-verify=false', '-f', path.join(dir, 'hand', 'Dockerfile'),
    ...Object.entries(ARGS).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...Object.entries(LABELS).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    '--from', base, '-t', 'by-hand', context,
  ]);
  await run('buildah', [...storage, 'push', '--tls-verify=false', 'by-hand', `docker://${target}`]);
}

describe('literal values, built for real', () => {
  it('a Dockerfile build with $(…), $$ and %24 in build args, env, labels, contextDir and the Dockerfile path gives the image buildah builds by hand', async () => {
    // GIVEN a repository whose context directory and Dockerfile path have $ in their names
    const repo = await makeGitRepo(path.join(dir, 'repo'), {
      [`${CONTEXT_DIR}/hello.txt`]: 'hello\n',
      [`${CONTEXT_DIR}/${DOCKERFILE_PATH}`]: dockerfile('registry.invalid/replaced:1'),
    });
    // AND a BuildConfig that says all of it
    const app = Testing.app();
    new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: registry.host, insecure: true }) });
    const chart = new Chart(app, 'lit', { namespace: 'lit' });
    const bc = new BuildConfig(chart, 'lit-build', {
      name: 'lit',
      source: BuildSource.git({ uri: repo.url, ref: 'main', contextDir: CONTEXT_DIR }),
      strategy: BuildStrategy.dockerfile({ from: base, dockerfilePath: DOCKERFILE_PATH, buildArgs: ARGS, env: ENV }),
      output: BuildOutput.image(`${registry.host}/lit/app:1`, { insecure: true, imageLabels: LABELS }),
      triggers: [],
    });
    const objects = Testing.synth(chart) as { kind: string; metadata: { name: string }; spec: unknown }[];
    const pipeline = objects.find((o) => o.kind === 'Pipeline')!.spec as PipelineSpec;
    const tasks = Object.fromEntries(objects.filter((o) => o.kind === 'Task').map((o) => [o.metadata.name, o.spec as TaskSpec]));
    // WHEN it runs with the params the controller's run carries (pipelineRunFor)
    const bcObject = objects.find((o) => o.kind === 'BuildConfig') as unknown as BuildConfigLike;
    const runParams = pipelineRunFor(bcObject, { type: 'Manual' }, { naming: { number: 1 } }).spec.params ?? [];
    const source = mkdtempSync(path.join(dir, 'source-'));
    const result = await runPipeline({
      pipeline, tasks, workspaces: { source }, name: `${bc.buildConfigName}-1`,
      params: Object.fromEntries(runParams.map((p) => [p.name, p.value as string])),
    });
    expect(result.message).toBeUndefined();
    expect(result.succeeded).toBe(true);
    // AND buildah builds the same inputs by hand
    await buildByHand(path.join(repo.dir, CONTEXT_DIR), `${registry.host}/lit/by-hand:1`);
    // THEN RUN saw every build arg and env value as written
    const args = await readFileFromImage(registry.host, 'lit/app:1', 'args');
    expect(args).toBe([...Object.values(ARGS), ...Object.values(ENV)].join('\n') + '\n');
    expect(args).toBe(await readFileFromImage(registry.host, 'lit/by-hand:1', 'args'));
    expect(await readFileFromImage(registry.host, 'lit/app:1', 'literal')).toBe('$(params.IMAGE) $$ $(date)\n');
    expect(await readFileFromImage(registry.host, 'lit/app:1', 'hello.txt')).toBe('hello\n');
    // AND the image's labels and env are those of the image built by hand (plus the provenance labels: the
    // source, the BuildConfig, the base by digest, and the commit's time as the image's creation time)
    const built = (await imageConfig(registry.host, 'lit/app:1')).config;
    const byHand = (await imageConfig(registry.host, 'lit/by-hand:1')).config;
    expect(built.Labels).toEqual({
      ...byHand.Labels,
      'io.openshift.build.commit.id': repo.commits.first,
      'io.openshift.build.source-location': repo.url,
      'org.opencontainers.image.created': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      'io.imagestreams.buildconfig': 'lit/lit',
      'org.opencontainers.image.base.name': base,
      'org.opencontainers.image.base.digest': baseDigest,
    });
    expect(built.Labels?.['x.literal']).toBe(LABELS['x.literal']);
    expect(built.Env).toEqual(byHand.Env);
    expect(built.Env).toEqual(expect.arrayContaining(Object.entries(ENV).map(([k, v]) => `${k}=${v}`)));
  }, 180_000); // a real git + buildah + registry build: seconds alone, minutes on a busy machine

  it('an inline Dockerfile with $(…) and $$ is built as written', async () => {
    // GIVEN an inline Dockerfile whose RUN writes text Tekton and the kubelet would rewrite
    const text = `FROM ${base}\nRUN echo '$(params.IMAGE) $(PARAM_DOCKERFILE_TEXT) $$ $(date) %24' > /inline\n`;
    const app = Testing.app();
    new System(app, 'imagestreams');
    const chart = new Chart(app, 'lit', { namespace: 'lit' });
    new BuildConfig(chart, 'inline-build', {
      name: 'inline', source: BuildSource.dockerfile(text), strategy: BuildStrategy.dockerfile(),
      output: BuildOutput.image(`${registry.host}/lit/inline:1`, { insecure: true }), triggers: [],
    });
    const objects = Testing.synth(chart) as { kind: string; metadata: { name: string }; spec: unknown }[];
    const pipeline = objects.find((o) => o.kind === 'Pipeline')!.spec as PipelineSpec;
    const tasks = Object.fromEntries(objects.filter((o) => o.kind === 'Task').map((o) => [o.metadata.name, o.spec as TaskSpec]));
    const bcObject = objects.find((o) => o.kind === 'BuildConfig') as unknown as BuildConfigLike;
    const runParams = pipelineRunFor(bcObject, { type: 'Manual' }, { naming: { number: 1 } }).spec.params ?? [];
    // WHEN run as the controller starts it, and with the Pipeline's defaults alone
    for (const params of [Object.fromEntries(runParams.map((p) => [p.name, p.value as string])), {}]) {
      const result = await runPipeline({ pipeline, tasks, params, workspaces: { source: mkdtempSync(path.join(dir, 'inline-')) } });
      // THEN the image holds the text as written
      expect(result.message).toBeUndefined();
      expect(await readFileFromImage(registry.host, 'lit/inline:1', 'inline')).toBe('$(params.IMAGE) $(PARAM_DOCKERFILE_TEXT) $$ $(date) %24\n');
    }
  });
});
