import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { cli } from '../support/cli';
import { eventually } from '../runtime/controller/eventually';
import { buildKube, type BuildKube } from './builds';
import { startProxy, type Proxy } from './cluster';

/** The CLI running in the background, its output readable while it runs. */
function background(...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const done = runCli(argv, { cwd: process.cwd(), stdout: (t) => { out.stdout += t; }, stderr: (t) => { out.stderr += t; } });
  return { out, done, line: (text: string) => eventually(() => expect(out.stdout.split('\n')).toContain(text)) };
}

// On the real API server: foo synthesized by the constructs, its builds made as start-build and the
// controller make them, Tekton's status written as Tekton writes it; pod logs served by a proxy in
// front of the real server (there is no kubelet).
describe('imagestreams logs', () => {
  let k: BuildKube;
  let proxy: Proxy;
  let first: string;
  beforeAll(async () => {
    k = await buildKube('cli-logs');
    proxy = await startProxy(k, { logs: { 'foo-1-build-pod/step-clone': 'Cloning into /workspace...\ndone\n', 'foo-1-build-pod/step-build': 'STEP 1/2: FROM base\nSTEP 2/2: COPY . /app\n' } });
    // GIVEN build foo #1, finished: clone and build ran in pod foo-1-build-pod (on a fresh control plane
    // the TaskRun storage answers 429 "(re)initializing" for a moment)
    await eventually(() => k.taskRuns().list(), 30_000, 200);
    first = await newBuild(1);
    await k.taskRun(first, 'foo-1-build', [{ name: 'clone', container: 'step-clone', terminated: { exitCode: 0 } }, { name: 'build', container: 'step-build', terminated: { exitCode: 0 } }], { type: 'Succeeded', status: 'True', reason: 'Succeeded' }, 'foo-1-build-pod');
    await k.runStatus(first, { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', message: 'Tasks Completed: 1' }] });
  });
  afterAll(async () => {
    await proxy?.close();
    k?.close();
  });
  const logs = (...args: string[]) => cli(process.cwd(), 'logs', ...args, '--kubeconfig', proxy.kubeconfigPath);

  /** A request as start-build makes it, made into build foo-N (admitted) as the controller does. */
  async function newBuild(n: number): Promise<string> {
    expect((await cli(process.cwd(), 'start-build', 'foo', '--kubeconfig', k.kubeconfigPath)).code).toBe(0);
    const request = (await k.pipelineRuns().list()).items.find((r) => r.metadata.name!.startsWith('foo-manual-') && !r.metadata.annotations?.['imagestreams.dev/build'])!;
    const build = await k.makeBuild(request.metadata.name!, n);
    await k.pipelineRuns().mergePatch(build, { spec: { status: null } });
    return build;
  }

  const FIRST_LOGS = ['[build/clone] Cloning into /workspace...', '[build/clone] done', '[build/build] STEP 1/2: FROM base', '[build/build] STEP 2/2: COPY . /app', 'build foo #1 succeeded', ''].join('\n');

  it('prints a finished build\'s logs, step by step, then how it ended — by run name, BC/N, or bc/NAME', async () => {
    for (const name of ['build/foo-1', 'build/foo/1', 'bc/foo']) expect(await logs(name), name).toEqual({ code: 0, stdout: FIRST_LOGS, stderr: '' });
  });

  it('-f follows a running build until it ends, printing its steps\' logs, and exits as it ended', async () => {
    // GIVEN build foo #2, running
    const second = await newBuild(2);
    const follow = background('logs', 'build/foo-2', '-f', '--kubeconfig', proxy.kubeconfigPath);
    // WHEN its step runs and the build fails
    await k.taskRun(second, 'foo-2-build', [{ name: 'clone', container: 'step-clone', running: {} }], undefined, 'foo-1-build-pod');
    await follow.line('[build/clone] done');
    await k.runStatus(second, { conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed', message: 'step build failed' }] });
    // THEN it exits 1 saying so
    expect(await follow.done).toBe(1);
    expect(follow.out.stdout.trimEnd().split('\n').at(-1)).toBe('build foo #2 failed (Failed: step build failed)');
    // AND logs -f of a finished build prints its logs and exits as it ended
    expect(await logs('build/foo-1', '-f')).toEqual({ code: 0, stdout: FIRST_LOGS, stderr: '' });
  });

  it('says so when the cluster serves no pod logs, and shows each step\'s state', async () => {
    const run = await cli(process.cwd(), 'logs', 'build/foo-1', '--kubeconfig', k.kubeconfigPath);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      expect.stringMatching(/^logs: not available \(404 .*\); showing each step's state$/),
      '[build/clone] succeeded', '[build/build] succeeded', 'build foo #1 succeeded', '',
    ]);
  });

  it.each([
    [['build/foo-9'], `error: PipelineRun "foo-9" not found in namespace "<ns>"\n`, 1],
    [['build/foo/9'], 'error: no build foo/9 in namespace "<ns>" (no PipelineRun labelled imagestreams.dev/buildconfig=foo,imagestreams.dev/build-number=9)\n', 1],
    [['bc/bar'], 'error: BuildConfig "bar" has no builds in namespace "<ns>"\n', 1],
    [['foo-1'], "error: 'foo-1' names no build: write build/NAME (build/foo-3, build/foo/3) or bc/NAME\nsee 'imagestreams logs --help'\n", 2],
  ])('reports what is missing: logs %j', async (args, stderr, code) => {
    expect(await logs(...args)).toEqual({ code, stdout: '', stderr: stderr.replaceAll('<ns>', k.namespace) });
  });
});
