import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pipelineRunFor } from '../../lib/api/build-run';
import { PENDING, type PipelineRun } from '../../lib/api/pipeline-run';
import { cli } from '../support/cli';
import { buildKube, type BuildKube } from './builds';
import { startProxy } from './cluster';

// On the real API server, Tekton's admission in front of every run: foo is synthesized by the
// constructs, its builds made by pipelineRunFor as the controller makes them, their status written as
// Tekton writes it. Each test has a namespace of its own.
describe('imagestreams cancel-build', () => {
  let k: BuildKube;
  beforeEach(async () => { k = await buildKube('cli-cancel-build'); });
  afterEach(() => k?.close());
  const cancelBuild = (...args: string[]) => cli(process.cwd(), 'cancel-build', ...args, '--kubeconfig', k.kubeconfigPath);
  const runs = () => k.pipelineRuns();

  /** Build `n` of foo as the controller makes it (`foo-N`, numbered), with `spec.status` and Tekton's Succeeded condition as given. */
  async function build(n: number, specStatus?: string, succeeded?: { status: string; reason: string }): Promise<PipelineRun> {
    const run = pipelineRunFor(k.foo, { type: 'Manual' }, { naming: { number: n }, pending: specStatus === PENDING });
    if (specStatus && specStatus !== PENDING) run.spec.status = specStatus;
    const name = (await runs().create(run)).metadata.name as string;
    if (succeeded) await k.runStatus(name, { conditions: [{ type: 'Succeeded', ...succeeded }] });
    return runs().get(name);
  }

  it('cancels a running build named bc/N: spec.status becomes Cancelled', async () => {
    // GIVEN foo #1 running and foo #2 queued
    await build(1, undefined, { status: 'Unknown', reason: 'Running' });
    await build(2, PENDING);
    // WHEN foo/1 is cancelled
    expect(await cancelBuild('foo/1')).toEqual({ code: 0, stdout: 'build foo #1 (foo-1) cancelled\n', stderr: '' });
    // THEN only its spec.status says Cancelled; the queued one is untouched
    expect((await runs().get('foo-1')).spec.status).toBe('Cancelled');
    expect((await runs().get('foo-2')).spec.status).toBe(PENDING);
  });

  it('cancels a queued build by its PipelineRun name', async () => {
    await build(2, PENDING);
    expect((await cancelBuild('foo-2')).stdout).toBe('build foo #2 (foo-2) cancelled\n');
    expect((await runs().get('foo-2')).spec.status).toBe('Cancelled');
  });

  it('cancels a manual run the controller has not numbered yet', async () => {
    await runs().create(pipelineRunFor(k.foo, { type: 'Manual' }, { naming: { name: 'foo-manual-abcde' } }));
    expect((await cancelBuild('foo-manual-abcde')).stdout).toBe('build foo-manual-abcde of foo (not numbered yet) cancelled\n');
    expect((await runs().get('foo-manual-abcde')).spec.status).toBe('Cancelled');
  });

  it('cancels the build the controller made of a request, named by the request', async () => {
    // GIVEN start-build's request, made into build 3 by the controller
    const started = await cli(process.cwd(), 'start-build', 'foo', '--kubeconfig', k.kubeconfigPath);
    const request = /^pipelinerun\/(\S+) created/.exec(started.stdout)![1];
    await k.makeBuild(request, 3);
    // WHEN the user cancels it by the name start-build printed THEN build 3 is cancelled
    expect((await cancelBuild(request)).stdout).toBe('build foo #3 (foo-3) cancelled\n');
    expect((await runs().get('foo-3')).spec.status).toBe('Cancelled');
    expect((await runs().get(request)).spec.status).toBe(PENDING);
  });

  it('refuses a build that has finished, and changes nothing', async () => {
    // GIVEN foo #3 succeeded and foo #4 failed
    const done = await build(3, undefined, { status: 'True', reason: 'Succeeded' });
    await build(4, undefined, { status: 'False', reason: 'Failed' });
    // WHEN either is cancelled THEN exit 1 with the reason, and the run keeps its version
    expect(await cancelBuild('foo/3')).toEqual({ code: 1, stdout: '', stderr: 'error: build foo #3 (foo-3) has already finished (Succeeded): nothing to cancel\n' });
    expect((await cancelBuild('foo-4')).stderr).toBe('error: build foo #4 (foo-4) has already finished (Failed): nothing to cancel\n');
    expect((await runs().get('foo-3')).metadata.resourceVersion).toBe(done.metadata.resourceVersion);
  });

  it('says when a build is being cancelled already, and exits 0', async () => {
    const before = await build(5, 'Cancelled', { status: 'Unknown', reason: 'Running' });
    expect(await cancelBuild('foo/5')).toEqual({ code: 0, stdout: 'build foo #5 (foo-5) is being cancelled already\n', stderr: '' });
    expect((await runs().get('foo-5')).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('says so when there is no such build', async () => {
    expect(await cancelBuild('foo/9')).toEqual({
      code: 1, stdout: '', stderr: `error: no build foo/9 in namespace "${k.namespace}" (no PipelineRun labelled imagestreams.dev/buildconfig=foo,imagestreams.dev/build-number=9)\n`,
    });
    expect((await cancelBuild('foo-9')).stderr).toBe(`error: PipelineRun "foo-9" not found in namespace "${k.namespace}"\n`);
    expect((await cancelBuild('foo/1', '-n', 'other')).stderr).toBe('error: no build foo/1 in namespace "other" (no PipelineRun labelled imagestreams.dev/buildconfig=foo,imagestreams.dev/build-number=1)\n');
  });

  it('says so when Tekton is not installed', async () => {
    // GIVEN the real server behind a proxy that makes the tekton.dev group unserved
    const proxy = await startProxy(k, { hideGroups: ['tekton.dev'] });
    try {
      expect((await cli(process.cwd(), 'cancel-build', 'foo/1', '--kubeconfig', proxy.kubeconfigPath)).stderr).toBe(
        'error: the cluster serves no Tekton PipelineRuns (tekton.dev/v1): install Tekton Pipelines, which runs the builds\n',
      );
    } finally {
      await proxy.close();
    }
  });

  it('rejects a missing or malformed BUILD with exit 2, and prints --help', async () => {
    expect(await cli(process.cwd(), 'cancel-build')).toEqual({ code: 2, stdout: '', stderr: "error: the BUILD argument is missing\nsee 'imagestreams cancel-build --help'\n" });
    expect((await cli(process.cwd(), 'cancel-build', 'foo/bar/1')).stderr).toBe(
      "error: 'foo/bar/1' is neither a PipelineRun name nor BUILDCONFIG/NUMBER (e.g. foo/3)\nsee 'imagestreams cancel-build --help'\n",
    );
    const help = await cli(process.cwd(), 'cancel-build', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: imagestreams cancel-build BUILD [options]');
  });
});
