/** The BuildConfig foo of the build verbs' tests, and the controller's and Tekton's parts, played as they write them. */
import { Duration, type Chart } from 'cdk8s';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, ImageStream } from '../../constructs';
import type { PipelineRun } from '../../lib/api/pipeline-run';
import type { StepState } from '../../lib/cli/builds/tekton-status';
import { buildForRequest, consumeRequest } from '../../lib/runtime/controller/builds/requests';
import type { BuildConfigResource } from '../support/kube';
import { cliKube, now, type CliKube } from './cluster';

/** The seed's foo: a Dockerfile build FROM jdk8:latest into foo:latest, from GitHub's main, with a timeout. */
export function fooApp(chart: Chart): void {
  const jdk8 = new ImageStream(chart, 'jdk8');
  jdk8.importTag('latest', { from: 'eclipse-temurin:8-jdk' });
  const foo = new ImageStream(chart, 'foo');
  new BuildConfig(chart, 'foo-build', {
    name: 'foo',
    source: BuildSource.git({ uri: 'https://github.com/example/foo.git', ref: 'main' }),
    strategy: BuildStrategy.dockerfile({ from: jdk8.tag('latest') }),
    output: BuildOutput.imageStreamTag(foo.tag('latest')),
    timeout: Duration.hours(1),
  });
}

export interface BuildKube extends CliKube {
  /** foo as the cluster has it (with its uid). */
  readonly foo: BuildConfigResource;
  /** What the controller does with a request: build `n` made from it (pending), and the request marked consumed. */
  makeBuild(request: string, n: number): Promise<string>;
  /** Tekton's status of a run (conditions with lastTransitionTime). */
  runStatus(run: string, status: Record<string, unknown>): Promise<PipelineRun>;
  /** Creates (or updates) a TaskRun of `run` as Tekton would: labelled with its PipelineRun and pipeline task, its status as given. */
  taskRun(run: string, name: string, steps: StepState[], condition?: object, podName?: string): Promise<void>;
}

/** A namespace of the test's own with foo (and its streams, Pipeline and Tasks) created from the constructs. */
export async function buildKube(prefix: string): Promise<BuildKube> {
  const t = await cliKube(prefix);
  await t.create(fooApp);
  const foo = await t.buildConfigs().get('foo');
  const runs = t.pipelineRuns();
  const taskRuns = t.taskRuns();
  return {
    ...t,
    foo,
    async makeBuild(request, n) {
      const build = await runs.create(buildForRequest(foo, await runs.get(request), n, { pending: true }));
      await consumeRequest(runs, await runs.get(request), build);
      return build.metadata.name as string;
    },
    runStatus: (run, status) => runs.mergePatchStatus(run, { status: withTimes(status) }),
    async taskRun(run, name, steps, condition, podName = `${name}-pod`) {
      const existing = (await taskRuns.list()).items.find((x) => x.metadata.name === name);
      if (!existing) {
        await taskRuns.create({
          apiVersion: 'tekton.dev/v1', kind: 'TaskRun',
          metadata: { name, labels: { 'tekton.dev/pipelineRun': run, 'tekton.dev/pipelineTask': 'build' } },
          spec: { taskRef: { name: 'buildah-build' }, serviceAccountName: 'imagestreams-builder' },
        });
      }
      await taskRuns.mergePatchStatus(name, { status: withTimes({ podName, steps: steps.map(withStepTimes), ...(condition ? { conditions: [condition] } : {}) }) });
    },
  };
}

/** A step's container state as Tekton copies it from the pod: running and terminated carry their times (its admission writes missing ones as null, which the CRD refuses). */
function withStepTimes(step: StepState): object {
  return {
    ...step,
    ...(step.running ? { running: { startedAt: now(), ...step.running } } : {}),
    ...(step.terminated ? { terminated: { startedAt: now(), finishedAt: now(), ...step.terminated } } : {}),
  };
}

/** Status as Tekton writes it: every condition with its lastTransitionTime. */
function withTimes(status: Record<string, unknown>): Record<string, unknown> {
  const conditions = status.conditions as object[] | undefined;
  return conditions ? { ...status, conditions: conditions.map((c) => ({ lastTransitionTime: now(), ...c })) } : status;
}
