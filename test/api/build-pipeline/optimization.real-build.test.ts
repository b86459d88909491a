/**
 * OpenShift's forms a Pipeline made from the spec must act on, built for real (git, buildah, the
 * registry, the step runner): imageOptimizationPolicy SkipLayers (the layers a build adds become
 * one), and a BuildConfig without output (built, not pushed).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPipelineSpec, embedTasks } from '../../../lib/api/build-pipeline/pipeline';
import type { BuildConfigSpec, DockerBuildStrategy } from '../../../lib/api/buildconfig';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { imageLayers, makeGitRepo, pushBusyboxBase, type GitRepo } from '../../support/tekton/build-fixtures';
import { runPipeline } from '../../support/tekton/run-pipeline';

let registry: RunningRegistry;
let dir: string;
let repo: GitRepo;
let baseLayers: number;

beforeAll(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(path.join(os.tmpdir(), 'optimization-build-'));
  chmodSync(dir, 0o755);
  await pushBusyboxBase(registry.host, 'fixtures/base:1', 'optimization');
  baseLayers = (await imageLayers(registry.host, 'fixtures/base:1')).length;
  repo = await makeGitRepo(path.join(dir, 'repo'), { Dockerfile: 'FROM registry.invalid/nothing:1\nRUN echo one > /one\nRUN echo two > /two\nRUN echo three > /three\n' });
}, 120_000);

afterAll(async () => {
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Builds the spec's embedded Pipeline as the controller would run it. */
async function build(name: string, docker: DockerBuildStrategy, output: BuildConfigSpec['output']) {
  const spec: BuildConfigSpec = {
    source: { git: { uri: repo.url, ref: 'main' } },
    strategy: { dockerStrategy: { from: { kind: 'DockerImage', name: `${registry.host}/fixtures/base:1` }, noCache: true, ...docker } },
    ...(output ? { output } : {}),
    registries: [{ host: registry.host, insecure: true }],
  };
  const pipeline = buildPipelineSpec(spec, { image: `${registry.host}/built/${name}:latest` }, embedTasks);
  const source = mkdtempSync(path.join(dir, `${name}-`));
  chmodSync(source, 0o755);
  const outcome = await runPipeline({ pipeline, tasks: {}, workspaces: { source }, name });
  if (!outcome.succeeded) throw new Error(`${name}: ${outcome.message}\n${JSON.stringify(outcome.logs, null, 2)}`);
  return outcome;
}

describe('a Pipeline made from an OpenShift spec', () => {
  it('imageOptimizationPolicy SkipLayers: the three RUNs make one layer over the base; None keeps one each', async () => {
    const to = (name: string) => ({ to: { kind: 'DockerImage' as const, name: `${registry.host}/built/${name}:latest` } });
    await build('squashed', { imageOptimizationPolicy: 'SkipLayers' }, to('squashed'));
    await build('layered', { imageOptimizationPolicy: 'None' }, to('layered'));
    expect((await imageLayers(registry.host, 'built/squashed:latest')).length).toBe(baseLayers + 1);
    expect((await imageLayers(registry.host, 'built/layered:latest')).length).toBe(baseLayers + 3);
  }, 300_000);

  it('no output.to: built, its digest reported, nothing pushed', async () => {
    const before = (await registry.accessLog()).length;
    const outcome = await build('unpushed', {}, undefined);
    expect(outcome.results.IMAGE_DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(outcome.results.IMAGE_URL).toBe('');
    const log = (await registry.accessLog()).slice(before);
    expect(log.filter((entry) => entry.method !== 'GET' && entry.method !== 'HEAD')).toEqual([]);
    // (it did reach the registry: for its base)
    expect(log.some((entry) => entry.path.startsWith('/v2/fixtures/base/'))).toBe(true);
  }, 300_000);
});
