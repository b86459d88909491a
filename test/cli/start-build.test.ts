import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { cli } from '../support/cli';
import { testKube } from '../support/kube';
import { eventually } from '../runtime/controller/eventually';
import { buildKube, fooApp, type BuildKube } from './builds';
import { cliKube, startProxy, unreachableKubeconfig } from './cluster';

const SHA = 'a'.repeat(40);

/** The CLI running in the background, its output readable while it runs. */
function background(...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const done = runCli(argv, { cwd: process.cwd(), stdout: (t) => { out.stdout += t; }, stderr: (t) => { out.stderr += t; } });
  return {
    out,
    done,
    /** Waits until stdout has this line (or a line matching it). */
    line: (text: string | RegExp) => eventually(() => expect(out.stdout.split('\n')).toContainEqual(typeof text === 'string' ? text : expect.stringMatching(text))),
  };
}

// On the real API server, with Tekton's admission in front of every PipelineRun and TaskRun: foo is
// synthesized by the constructs; the controller's part (build foo-N of the request) is played with
// its own functions, Tekton's (status) by writing what Tekton writes.
describe('imagestreams start-build', () => {
  let k: BuildKube;
  beforeEach(async () => { k = await buildKube('cli-start-build'); });
  afterEach(() => k?.close());
  const startBuild = (...args: string[]) => cli(process.cwd(), 'start-build', ...args, '--kubeconfig', k.kubeconfigPath);
  const onlyRun = async () => {
    const { items } = await k.pipelineRuns().list();
    expect(items).toHaveLength(1);
    return items[0];
  };

  it('creates a request: a pending PipelineRun from the BuildConfig, for the controller to build, number and admit', async () => {
    // GIVEN the BuildConfig foo WHEN a build is started
    const run = await startBuild('foo');
    // THEN one run exists, pending, labelled and annotated as a manual build of foo
    const created = await onlyRun();
    expect(run).toEqual({ code: 0, stdout: `pipelinerun/${created.metadata.name} created for BuildConfig foo: the controller admits and numbers it\n`, stderr: '' });
    expect(created.metadata.name).toMatch(/^foo-manual-[a-z0-9]{5}$/);
    expect(created.metadata.labels).toEqual({ 'imagestreams.dev/buildconfig': 'foo' });
    expect(created.metadata.annotations).toEqual({ 'imagestreams.dev/cause': 'Manual' });
    expect(created.metadata.ownerReferences).toEqual([{ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig', name: 'foo', uid: k.foo.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    // AND its spec is the BuildConfig's: Pipeline, params (URL and REVISION = the source's, CONTEXT_DIR), timeout, service account, pod template, workspaces
    expect(created.spec).toEqual({
      pipelineRef: { name: 'foo' },
      params: [{ name: 'URL', value: 'https://github.com/example/foo.git' }, { name: 'REVISION', value: 'main' }, { name: 'CONTEXT_DIR', value: '.' }],
      status: 'PipelineRunPending',
      timeouts: { pipeline: '1h0m0s' },
      taskRunTemplate: { serviceAccountName: 'imagestreams-builder', podTemplate: { automountServiceAccountToken: false } },
      workspaces: [
        // Tekton's defaulting decodes the claim template into Kubernetes' Go type and writes it back: empty metadata and status appear.
        { name: 'source', volumeClaimTemplate: { metadata: {}, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, status: {} } },
        { name: 'dockerconfig', secret: { secretName: 'registry-push' } },
      ],
    });
  });

  it('--commit builds that commit: REVISION is the SHA, recorded in an annotation', async () => {
    expect((await startBuild('foo', '--commit', SHA)).code).toBe(0);
    const created = await onlyRun();
    expect(created.spec.params).toEqual([{ name: 'URL', value: 'https://github.com/example/foo.git' }, { name: 'REVISION', value: SHA }, { name: 'CONTEXT_DIR', value: '.' }]);
    expect(created.metadata.annotations).toEqual({ 'imagestreams.dev/cause': 'Manual', 'imagestreams.dev/commit': SHA });
  });

  it('--env and --build-arg: the run carries this build\'s own items (RUN_ENV, RUN_BUILD_ARGS), percent-encoded, sorted, the last of a name kept', async () => {
    // WHEN a build is started with env and build args, one given twice, one value with a $ and an =
    expect((await startBuild('foo', '--env', 'B=2', '-e', 'A=$(x) y=z', '--env', 'B=3', '--build-arg', 'V=1.2', '--commit', SHA)).code).toBe(0);
    // THEN Tekton's admission took the run, whose params add them to the BuildConfig's
    const created = await onlyRun();
    expect(created.spec.params).toEqual([
      { name: 'URL', value: 'https://github.com/example/foo.git' }, { name: 'REVISION', value: SHA }, { name: 'CONTEXT_DIR', value: '.' },
      { name: 'RUN_ENV', value: ['A=%24(x) y=z', 'B=3'] }, { name: 'RUN_BUILD_ARGS', value: ['V=1.2'] },
    ]);
  });

  it('--follow prints admission, the build number, each task and step, and exits 0 when the run succeeds', async () => {
    // GIVEN a followed build (the cluster has no kubelet: it serves no pod logs)
    const cli = background('start-build', 'foo', '--follow', '--kubeconfig', k.kubeconfigPath);
    const run = await eventually(onlyRun);
    const name = run.metadata.name as string;
    await cli.line(`pipelinerun/${name} created for BuildConfig foo: the controller admits and numbers it`);
    // WHEN the controller makes build 3 of the request and admits it, and Tekton runs it, as each would write it
    const build = await k.makeBuild(name, 3);
    await cli.line('numbered: build foo #3 (foo-3)');
    await k.pipelineRuns().mergePatch(build, { spec: { status: null } });
    await cli.line('admitted: build foo #3 starts');
    await k.runStatus(build, { conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running', message: 'Tasks Completed: 0 (Failed: 0, Cancelled 0), Skipped: 0' }], childReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'foo-3-build', pipelineTaskName: 'build' }] });
    await cli.line('build foo #3: Running (Tasks Completed: 0 (Failed: 0, Cancelled 0), Skipped: 0)');
    await k.taskRun(build, 'foo-3-build', [{ name: 'build', container: 'step-build', running: { startedAt: '2026-01-01T00:00:00Z' } }]);
    await cli.line('task build, step build: running');
    await cli.line(/^logs: not available/);
    await k.taskRun(build, 'foo-3-build', [{ name: 'build', container: 'step-build', terminated: { exitCode: 0, reason: 'Completed' } }], { type: 'Succeeded', status: 'True', reason: 'Succeeded' });
    await cli.line('task build: Succeeded');
    await k.runStatus(build, { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', message: 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 0' }] });
    // THEN it exits 0, having printed every transition once, in order, and said that logs aren't served
    expect(await cli.done).toBe(0);
    expect(cli.out.stdout.trimEnd().split('\n')).toEqual([
      `pipelinerun/${name} created for BuildConfig foo: the controller admits and numbers it`,
      'numbered: build foo #3 (foo-3)',
      'admitted: build foo #3 starts',
      'build foo #3: Running (Tasks Completed: 0 (Failed: 0, Cancelled 0), Skipped: 0)',
      'task build: started (TaskRun foo-3-build)',
      'task build, step build: running',
      expect.stringMatching(/^logs: not available \(404 .*\); following the status only$/),
      'task build, step build: succeeded',
      'task build: Succeeded',
      'build foo #3 succeeded',
    ]);
    expect(cli.out.stderr).toBe('');
  });

  it('--follow exits 1 when the run fails, with the step and Tekton\'s reason', async () => {
    const cli = background('start-build', 'foo', '-F', '--kubeconfig', k.kubeconfigPath);
    const name = (await eventually(onlyRun)).metadata.name as string;
    await cli.line(`pipelinerun/${name} created for BuildConfig foo: the controller admits and numbers it`);
    const build = await k.makeBuild(name, 4);
    await k.pipelineRuns().mergePatch(build, { spec: { status: null } });
    await cli.line('admitted: build foo #4 starts');
    await k.taskRun(build, 'foo-4-build', [{ name: 'push', terminated: { exitCode: 125, reason: 'Error' } }], { type: 'Succeeded', status: 'False', reason: 'Failed', message: '"step-push" exited with code 125' });
    await cli.line('task build: Failed ("step-push" exited with code 125)');
    await k.runStatus(build, { conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed', message: 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0' }] });
    expect(await cli.done).toBe(1);
    expect(cli.out.stdout).toContain('task build, step push: failed (exit 125: Error)\n');
    expect(cli.out.stdout.trimEnd().split('\n').at(-1)).toBe('build foo #4 failed (Failed: Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0)');
  });

  it('--follow exits 1 when the request is cancelled before the controller builds it, and never says it was admitted', async () => {
    const follow = background('start-build', 'foo', '--follow', '--kubeconfig', k.kubeconfigPath);
    const name = (await eventually(onlyRun)).metadata.name as string;
    await follow.line(`pipelinerun/${name} created for BuildConfig foo: the controller admits and numbers it`);
    // WHEN the user cancels the request, and Tekton marks the pending run cancelled
    expect((await cli(process.cwd(), 'cancel-build', name, '--kubeconfig', k.kubeconfigPath)).code).toBe(0);
    await k.runStatus(name, { conditions: [{ type: 'Succeeded', status: 'False', reason: 'Cancelled', message: `PipelineRun "${name}" was cancelled` }] });
    // THEN
    expect(await follow.done).toBe(1);
    expect(follow.out.stdout.trimEnd().split('\n').at(-1)).toBe(`build ${name} cancelled (Cancelled: PipelineRun "${name}" was cancelled)`);
    expect(follow.out.stdout).not.toContain('admitted');
  });

  it('--follow prints the steps\' logs where the cluster serves them', async () => {
    // GIVEN a cluster that serves the logs of the build pod's step containers (the real server behind a proxy that serves them)
    const proxy = await startProxy(k, { logs: { 'foo-5-build-pod/step-clone': 'Cloning into /workspace...\ndone', 'foo-5-build-pod/step-build': 'STEP 1/2: FROM base\nSTEP 2/2: COPY . /app\n' } });
    try {
      const cli = background('start-build', 'foo', '--follow', '--kubeconfig', proxy.kubeconfigPath);
      const name = (await eventually(onlyRun)).metadata.name as string;
      await cli.line(`pipelinerun/${name} created for BuildConfig foo: the controller admits and numbers it`);
      const build = await k.makeBuild(name, 5);
      await k.pipelineRuns().mergePatch(build, { spec: { status: null } });
      await cli.line('admitted: build foo #5 starts');
      // WHEN the steps run
      await k.taskRun(build, 'foo-5-build', [
        { name: 'clone', container: 'step-clone', terminated: { exitCode: 0 } },
        { name: 'build', container: 'step-build', running: {} },
      ], undefined, 'foo-5-build-pod');
      // THEN each step's log lines are printed with its task and step
      await cli.line('[build/clone] done');
      await cli.line('[build/build] STEP 2/2: COPY . /app');
      await k.runStatus(build, { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }] });
      expect(await cli.done).toBe(0);
      const lines = cli.out.stdout.split('\n');
      expect(lines.filter((l) => l.startsWith('[build/clone] '))).toEqual(['[build/clone] Cloning into /workspace...', '[build/clone] done']);
      expect(lines.filter((l) => l.startsWith('[build/build] '))).toEqual(['[build/build] STEP 1/2: FROM base', '[build/build] STEP 2/2: COPY . /app']);
      expect(cli.out.stdout).not.toContain('logs: not available');
    } finally {
      await proxy.close();
    }
  });
});

describe('imagestreams start-build errors', () => {
  it('says so when the BuildConfig is not there', async () => {
    const t = await testKube('cli-start-build');
    try {
      expect(await cli(process.cwd(), 'start-build', 'nosuch', '--kubeconfig', t.kubeconfigPath)).toEqual({
        code: 1, stdout: '', stderr: `error: BuildConfig "nosuch" not found in namespace "${t.namespace}"\n`,
      });
      expect((await t.pipelineRuns().list()).items).toEqual([]);
    } finally {
      t.close();
    }
  });

  it('says so when the cluster has no BuildConfig CRD', async () => {
    // GIVEN the real server behind a proxy that makes the imagestreams.dev group unserved
    const t = await cliKube('cli-start-build');
    await t.create(fooApp);
    const proxy = await startProxy(t, { hideGroups: ['imagestreams.dev'] });
    try {
      expect((await cli(process.cwd(), 'start-build', 'foo', '--kubeconfig', proxy.kubeconfigPath)).stderr).toBe(
        "error: the cluster serves no BuildConfigs (imagestreams.dev/v1alpha1 buildconfigs): apply the imagestreams System's CRDs first\n",
      );
    } finally {
      await proxy.close();
      t.close();
    }
  });

  it('says so when Tekton is not installed', async () => {
    const t = await cliKube('cli-start-build');
    await t.create(fooApp);
    const proxy = await startProxy(t, { hideGroups: ['tekton.dev'] });
    try {
      expect(await cli(process.cwd(), 'start-build', 'foo', '--kubeconfig', proxy.kubeconfigPath)).toEqual({
        code: 1, stdout: '', stderr: 'error: the cluster serves no Tekton PipelineRuns (tekton.dev/v1): install Tekton Pipelines, which runs the builds\n',
      });
      expect((await t.pipelineRuns().list()).items).toEqual([]);
    } finally {
      await proxy.close();
      t.close();
    }
  });

  it('says which cluster it could not reach', async () => {
    // GIVEN a kubeconfig whose server is a port that nothing listens on
    const t = await testKube('cli-start-build');
    const kubeconfig = await unreachableKubeconfig(t);
    try {
      // WHEN a build is started THEN the error names the cluster and the cause
      const run = await cli(process.cwd(), 'start-build', 'foo', '--kubeconfig', kubeconfig.path);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error: cannot start a build on the cluster at ${kubeconfig.server}: .*ECONNREFUSED`));
    } finally {
      kubeconfig.remove();
      t.close();
    }
  });

  it('rejects a missing BUILDCONFIG and a commit that is not a full SHA with exit 2', async () => {
    expect(await cli(process.cwd(), 'start-build')).toEqual({ code: 2, stdout: '', stderr: "error: the BUILDCONFIG argument is missing\nsee 'imagestreams start-build --help'\n" });
    expect((await cli(process.cwd(), 'start-build', 'foo', '--commit', 'main')).stderr).toBe(
      "error: --commit must be a full commit SHA (40 or 64 lower-case hex digits), not 'main'\nsee 'imagestreams start-build --help'\n",
    );
    expect((await cli(process.cwd(), 'start-build', 'foo', '--env', 'NOVALUE')).stderr).toBe(
      "error: --env takes NAME=VALUE (a name of letters, digits and '_', not starting with a digit), not 'NOVALUE'\nsee 'imagestreams start-build --help'\n",
    );
    expect((await cli(process.cwd(), 'start-build', 'foo', '--build-arg', '1X=a')).stderr).toBe(
      "error: --build-arg takes NAME=VALUE (a name of letters, digits and '_', not starting with a digit), not '1X=a'\nsee 'imagestreams start-build --help'\n",
    );
  });

  it('--help prints the options', async () => {
    const run = await cli(process.cwd(), 'start-build', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: imagestreams start-build BUILDCONFIG [options]');
    expect(run.stdout).toContain('--commit SHA');
  });
});
