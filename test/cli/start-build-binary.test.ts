import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../constructs';
import type { ParamValue, PipelineSpec, TaskSpec } from '../../constructs/tekton';
import type { BuildConfigLike } from '../../lib/api/build-run';
import type { PipelineRun } from '../../lib/api/pipeline-run';
import { buildForRequest } from '../../lib/runtime/controller/builds/requests';
import { cli } from '../support/cli';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';
import { pushBusyboxBase, readFileFromImage, servedDigest, writeFiles } from '../support/tekton/build-fixtures';
import { runPipeline } from '../support/tekton/run-pipeline';
import type { SynthesizedApp } from '../support/synth-app';
import { cliKube, type CliKube } from './cluster';

// End to end: the CLI on the real API server (Tekton's admission in front of every PipelineRun) and the
// real registry; the build the controller makes of the request it created (buildForRequest) is then run
// by the step runner with real buildah.
describe('imagestreams start-build --from-dir (a Binary BuildConfig)', () => {
  let registry: RunningRegistry;
  let k: CliKube;
  let app: SynthesizedApp;
  let dir: string;
  let base: string;
  beforeAll(async () => {
    registry = await startRegistry();
    dir = mkdtempSync(path.join(os.tmpdir(), 'start-build-binary-'));
    chmodSync(dir, 0o755);
    base = `${registry.host}/base@${await pushBusyboxBase(registry.host, 'base:1', 'base')}`;
    k = await cliKube('cli-binary');
    app = await k.create((chart) => {
      new BuildConfig(chart, 'bin', {
        source: BuildSource.binary(), strategy: BuildStrategy.dockerfile({ from: base }), output: BuildOutput.image(`${registry.host}/team/bin:1`, { insecure: true }),
      });
      // Tekton's admission checks its Pipeline and Task too: input workspaces bound to the build step alone, the hook's array param.
      new BuildConfig(chart, 'inputs', {
        source: BuildSource.git({ uri: 'https://github.com/example/foo.git', secrets: [{ secret: 'npm', destinationDir: 'run/npm' }], configMaps: [{ configMap: 'maven', destinationDir: 'etc/maven' }] }),
        strategy: BuildStrategy.dockerfile({ from: base }), output: BuildOutput.image(`${registry.host}/team/inputs:1`, { insecure: true }),
        postCommit: { command: ['make', 'test'] },
      });
      new BuildConfig(chart, 'git', {
        source: BuildSource.git({ uri: 'https://github.com/example/foo.git' }), strategy: BuildStrategy.dockerfile({ from: base }), output: BuildOutput.image(`${registry.host}/team/git:1`, { insecure: true }),
      });
    });
  }, 300_000);
  afterAll(async () => {
    await k?.close();
    await registry?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const startBuild = (...args: string[]) => cli(process.cwd(), 'start-build', ...args, '--kubeconfig', k.kubeconfigPath, '-n', k.namespace);

  it('uploads the directory to the registry, creates the request with its digest, and the build made of it builds the directory with the run\'s env', async () => {
    // GIVEN sources on the user's machine, in no repository
    const sources = mkdtempSync(path.join(dir, 'sources-'));
    await writeFiles(sources, { Dockerfile: 'FROM registry.invalid/nothing:1\nCOPY note.txt /note.txt\nRUN echo "$E" > /e\n', 'note.txt': 'from my laptop\n' });
    // WHEN start-build --from-dir runs, with an env var of its own
    const started = await startBuild('bin', '--from-dir', sources, '--env', 'E=$(x) y');
    // THEN the sources are in the registry by digest, and the run Tekton admitted names that digest
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    const [uploaded] = /sources uploaded: (\S+)/.exec(started.stdout)!.slice(1);
    expect(uploaded).toMatch(new RegExp(`^${registry.host}/team/bin/build-context@sha256:[0-9a-f]{64}$`));
    const { items } = await k.pipelineRuns().list();
    expect(items).toHaveLength(1);
    expect(items[0].spec.params).toEqual([{ name: 'SOURCE_ARCHIVE', value: uploaded }, { name: 'CONTEXT_DIR', value: '.' }, { name: 'RUN_ENV', value: ['E=%24(x) y'] }]);
    // AND the build the controller makes of the request keeps them, and run as Tekton would, pushes an image made of them
    const bc = await k.buildConfigs().get('bin') as unknown as BuildConfigLike;
    const build = buildForRequest(bc, items[0] as PipelineRun, 1, { pending: false });
    expect(build.spec.params).toEqual(items[0].spec.params);
    const params: Record<string, ParamValue> = Object.fromEntries((build.spec.params ?? []).map((p) => [p.name, p.value as ParamValue]));
    const tasks = Object.fromEntries(app.find('Task').map((t) => [t.metadata.name, t.spec as TaskSpec]));
    const source = mkdtempSync(path.join(dir, 'ws-'));
    const result = await runPipeline({ pipeline: app.one('Pipeline', 'bin').spec as PipelineSpec, tasks, params, workspaces: { source }, name: 'bin-1' });
    expect(result.message).toBeUndefined();
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'team/bin', '1'));
    expect(await readFileFromImage(registry.host, 'team/bin:1', 'note.txt')).toBe('from my laptop\n');
    expect(await readFileFromImage(registry.host, 'team/bin:1', 'e')).toBe('$(x) y\n');
  });

  it("a BuildConfig with inputs and a hook: Tekton admits its Pipeline, Task and a start-build run binding the Secret and ConfigMap by name", async () => {
    expect((await startBuild('inputs', '--build-arg', 'A=1')).code).toBe(0);
    const run = (await k.pipelineRuns().list()).items.find((r) => r.spec.pipelineRef?.name === 'inputs')!;
    expect(run.spec.workspaces).toEqual(expect.arrayContaining([{ name: 'build-input-0', secret: { secretName: 'npm' } }, { name: 'build-input-1', configMap: { name: 'maven' } }]));
    expect(run.spec.params).toContainEqual({ name: 'RUN_BUILD_ARGS', value: ['A=1'] });
    // AND the CRD's schema keeps OpenShift's fields (the API server prunes what a schema lacks)
    const bc = await k.buildConfigs().get('inputs');
    expect(bc.spec.source).toMatchObject({ secrets: [{ secret: { name: 'npm' }, destinationDir: 'run/npm' }], configMaps: [{ configMap: { name: 'maven' }, destinationDir: 'etc/maven' }] });
    expect(bc.spec.postCommit).toEqual({ command: ['make', 'test'] });
    expect((await k.buildConfigs().get('bin')).spec.source).toEqual({ type: 'Binary', binary: {} });
  });

  it('refuses, before uploading anything, a Binary BuildConfig without sources, sources for a git one, and two ways at once', async () => {
    expect((await startBuild('bin')).stderr).toBe(
      "error: BuildConfig bin builds uploaded sources (source type Binary): give --from-dir DIR, --from-file FILE or --from-archive TAR\nsee 'imagestreams start-build --help'\n",
    );
    expect((await startBuild('git', '--from-dir', dir)).stderr).toBe(
      "error: BuildConfig git builds from its Git source; --from-dir, --from-file and --from-archive are for a BuildConfig whose source is Binary (BuildSource.binary())\nsee 'imagestreams start-build --help'\n",
    );
    expect((await startBuild('bin', '--from-dir', dir, '--from-file', 'x')).stderr).toBe(
      "error: --from-dir and --from-file name the sources twice: give one\nsee 'imagestreams start-build --help'\n",
    );
    expect((await startBuild('bin', '--from-archive', path.join(dir, 'missing.tgz'))).stderr).toBe(
      `error: --from-archive ${path.join(dir, 'missing.tgz')} is not a file\nsee 'imagestreams start-build --help'\n`,
    );
  });
});
