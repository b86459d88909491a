import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../../constructs/buildconfig';
import type { ParamValue, PipelineSpec, TaskSpec } from '../../../constructs/tekton';
import type { PipelineRun } from '../../../lib/api/pipeline-run';
import { manualRun } from '../../../lib/cli/builds/manual-run';
import type { BuildConfigResource } from '../../../lib/cli/builds/resources';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { commitFiles, imageConfig, makeGitRepo, pushBusyboxBase, readFileFromImage, servedDigest, type GitRepo } from '../../support/tekton/build-fixtures';
import { runPipeline, type RunPipelineOptions } from '../../support/tekton/run-pipeline';

/**
 * OpenShift's build inputs, built for real: the app is synthesized, its runs are made by the run
 * maker every build goes through (pipelineRunFor, here by way of start-build's manualRun), and the
 * emitted Pipeline and Tasks run with real git, buildah and a real registry.
 */

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, unknown> };

let registry: RunningRegistry;
let dir: string;
let base: string;

beforeAll(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(path.join(os.tmpdir(), 'build-inputs-'));
  chmodSync(dir, 0o755);
  const digest = await pushBusyboxBase(registry.host, 'mirror/base:1', 'base');
  base = `${registry.host}/mirror/base@${digest}`;
});
afterAll(async () => {
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A chart in namespace `ns` whose System's registry is the test registry. */
function appChart(ns: string): Chart {
  const app = Testing.app();
  new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: registry.host, insecure: true }) });
  return new Chart(app, ns, { namespace: ns });
}

/** The synthesized objects of a chart, and ways to run its BuildConfigs as the cluster would. */
function synthesized(chart: Chart) {
  const objects = Testing.synth(chart) as Obj[];
  const tasks = Object.fromEntries(objects.filter((o) => o.kind === 'Task').map((o) => [o.metadata.name, o.spec as unknown as TaskSpec]));
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
  return {
    objects,
    buildConfig: (name: string) => ({ ...find('BuildConfig', name), metadata: { ...find('BuildConfig', name).metadata, uid: 'uid' } }) as unknown as BuildConfigResource,
    /** Runs the emitted Pipeline with a run's params (and BASE_IMAGE as the controller sets it). */
    async run(made: PipelineRun, workspaces: Record<string, string> = {}, extra: Partial<RunPipelineOptions> = {}) {
      const name = made.spec.pipelineRef!.name;
      const source = mkdtempSync(path.join(dir, `${name}-source-`));
      chmodSync(source, 0o755);
      const params: Record<string, ParamValue> = Object.fromEntries((made.spec.params ?? []).map((p) => [p.name, p.value as ParamValue]));
      return runPipeline({
        pipeline: find('Pipeline', name).spec as unknown as PipelineSpec, tasks, params: { BASE_IMAGE: base, ...params },
        workspaces: { source, ...workspaces }, name: `${name}-1`, ...extra,
      });
    },
  };
}

describe('start-build --env / --build-arg / --commit: one run\'s own values, over the BuildConfig\'s', () => {
  let repo: GitRepo;
  beforeAll(async () => {
    repo = await makeGitRepo(path.join(dir, 'overrides-repo'), {
      Dockerfile: 'FROM registry.invalid/nothing:1\nARG A\nARG B\nCOPY version /version\nRUN echo "A=$A B=$B E=$E F=$F" > /seen\n',
      version: 'one\n',
    });
    await commitFiles(repo, 'second', { version: 'two\n' });
  });

  it('the run builds the commit given, with its env and build args winning over the BuildConfig\'s, and the others kept', async () => {
    // GIVEN a BuildConfig with its own env and build args, on the branch (whose head is the second commit)
    const chart = appChart('over');
    const out = new ImageStream(chart, 'app');
    new BuildConfig(chart, 'app-build', {
      name: 'app',
      source: BuildSource.git({ uri: repo.url, ref: 'main' }),
      strategy: BuildStrategy.dockerfile({ from: base, env: { E: 'bc-e', F: 'bc-f' }, buildArgs: { A: 'bc-a', B: 'bc-b' } }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    const app = synthesized(chart);
    // WHEN start-build makes a run of the first commit with its own E (with a $) and A
    const made = manualRun(app.buildConfig('app'), { commit: repo.commits.first, env: { E: 'run $HOME $(date)' }, buildArgs: { A: 'run-a' } });
    const result = await app.run(made);
    // THEN the first commit was built, the run's values won, the BuildConfig's others stayed
    expect(result.message).toBeUndefined();
    expect(result.results.COMMIT).toBe(repo.commits.first);
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'over/app', 'latest'));
    expect(await readFileFromImage(registry.host, 'over/app:latest', 'version')).toBe('one\n');
    expect(await readFileFromImage(registry.host, 'over/app:latest', 'seen')).toBe('A=run-a B=bc-b E=run $HOME $(date) F=bc-f\n');
    expect((await imageConfig(registry.host, 'over/app:latest')).config.Env).toEqual(expect.arrayContaining(['E=run $HOME $(date)', 'F=bc-f']));

    // WHEN a run without overrides follows (as the controller or a webhook makes it)
    const plain = await app.run(manualRun(app.buildConfig('app')));
    // THEN it builds the branch's head with the BuildConfig's values only: nothing of the earlier run stays
    expect(plain.message).toBeUndefined();
    expect(plain.results.COMMIT).toBe(repo.commits.second);
    expect(await readFileFromImage(registry.host, 'over/app:latest', 'seen')).toBe('A=bc-a B=bc-b E=bc-e F=bc-f\n');
  });
});

