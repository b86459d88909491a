/** BuildConfigs, PipelineRuns and Tekton's part (writing run status) for the build reconciler tests. */
import { ImageStream, ImageStreamTag } from '../../../../constructs';
import { BuildConfig as BuildConfigConstruct, BuildOutput, BuildSource, BuildStrategy } from '../../../../constructs/buildconfig';
import type { BuildConfigObject, BuildConfigSpec } from '../../../../lib/api/buildconfig';
import { BUILDCONFIG_LABEL } from '../../../../lib/api/labels';
import type { PipelineRun } from '../../../../lib/api/pipeline-run';
import type { KubeClient, ResourceClient } from '../../../../lib/runtime/kube/client';
import type { KubeObject } from '../../../../lib/runtime/kube/types';
import { BUILDCONFIG_KIND, BUILDCONFIGS, GROUP_VERSION, PIPELINERUNS } from '../../../../lib/api/group';
import { synthApp } from '../../../support/synth-app';

export type BuildConfig = BuildConfigObject & KubeObject;

export const buildConfigs = (kube: KubeClient, namespace = kube.namespace): ResourceClient<BuildConfig> =>
  kube.resource<BuildConfig>({ ...BUILDCONFIGS, namespace });

export const pipelineRuns = (kube: KubeClient, namespace = kube.namespace): ResourceClient<PipelineRun> =>
  kube.resource<PipelineRun>({ ...PIPELINERUNS, namespace });

/**
 * The spec of a BuildConfig as the constructs synthesize it — git https://git.example/app.git at
 * main, Dockerfile strategy FROM the stream tag `base`, pushing to `output` through registry.test,
 * with the default triggers — with `extra` laid over it as an edit in the cluster would.
 */
export function buildConfigSpec(base: string, output: string, extra: Partial<BuildConfigSpec> = {}): BuildConfigSpec {
  const [outputStream, outputTag] = output.split(':');
  const app = synthApp(({ chart }) => {
    const ns = chart(SYNTH_NAMESPACE);
    new BuildConfigConstruct(ns, 'build', {
      name: 'app',
      source: BuildSource.git({ uri: 'https://git.example/app.git', ref: 'main' }),
      strategy: BuildStrategy.dockerfile({ from: ImageStreamTag.external(base, SYNTH_NAMESPACE) }),
      output: BuildOutput.imageStreamTag(new ImageStream(ns, outputStream).tag(outputTag)),
    });
  });
  return { ...(app.one('BuildConfig', 'app').spec as BuildConfigSpec), ...extra };
}

/** The namespace the specs are synthesized in: they name none (tags of their own namespace are written without one). */
const SYNTH_NAMESPACE = 'builds';

export async function createBuildConfig(kube: KubeClient, name: string, spec: BuildConfigSpec, annotations?: Record<string, string>): Promise<BuildConfig> {
  return buildConfigs(kube).create({ apiVersion: GROUP_VERSION, kind: BUILDCONFIG_KIND, metadata: { name, annotations }, spec });
}

/** The BuildConfig's runs, by build number (unnumbered last). */
export async function runsOf(kube: KubeClient, bc: string): Promise<PipelineRun[]> {
  const items = (await pipelineRuns(kube).list({ labelSelector: `${BUILDCONFIG_LABEL}=${bc}` })).items;
  const n = (r: PipelineRun) => Number(r.metadata.labels?.['imagestreams.dev/build-number'] ?? Infinity);
  return items.sort((a, b) => n(a) - n(b));
}

export const param = (run: PipelineRun, name: string) => run.spec.params?.find((p) => p.name === name)?.value;

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** What Tekton writes when a run starts (its conditions always carry lastTransitionTime, which its admission insists on). */
export async function startRun(kube: KubeClient, name: string): Promise<void> {
  await pipelineRuns(kube).mergePatchStatus(name, { status: { startTime: now(), conditions: [{ type: 'Succeeded', status: 'Unknown', lastTransitionTime: now(), reason: 'Running', message: 'Tasks Completed: 0 (Failed: 0, Cancelled 0), Skipped: 0' }] } });
}

/** What Tekton writes when a run succeeds: the Succeeded condition, the pipeline results, completionTime. */
export async function succeedRun(kube: KubeClient, name: string, digest: string, url = 'registry.test/default/app:latest'): Promise<void> {
  await pipelineRuns(kube).mergePatchStatus(name, {
    status: {
      completionTime: now(),
      conditions: [{ type: 'Succeeded', status: 'True', lastTransitionTime: now(), reason: 'Succeeded', message: 'Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0' }],
      // Tekton keeps a result as the step wrote it, trailing newline included.
      results: [{ name: 'IMAGE_DIGEST', value: `${digest}\n` }, { name: 'IMAGE_URL', value: `${url}\n` }],
    },
  });
}

export async function failRun(kube: KubeClient, name: string, message: string): Promise<void> {
  await pipelineRuns(kube).mergePatchStatus(name, {
    status: { completionTime: now(), conditions: [{ type: 'Succeeded', status: 'False', lastTransitionTime: now(), reason: 'Failed', message }] },
  });
}

/** A PipelineRun object for pure tests: build `n` in a phase, with annotations. */
export function fakeRun(n: number | undefined, phase: 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled', annotations: Record<string, string> = {}): PipelineRun {
  const labels: Record<string, string> = { [BUILDCONFIG_LABEL]: 'app', ...(n !== undefined ? { 'imagestreams.dev/build-number': String(n) } : {}) };
  const condition = phase === 'succeeded' ? 'True' : phase === 'failed' || phase === 'cancelled' ? 'False' : undefined;
  return {
    apiVersion: 'tekton.dev/v1', kind: 'PipelineRun',
    metadata: { name: `app-${n ?? 'x'}`, namespace: 'default', labels, annotations, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { ...(phase === 'pending' ? { status: 'PipelineRunPending' } : phase === 'cancelled' ? { status: 'Cancelled' } : {}) },
    ...(condition ? { status: { conditions: [{ type: 'Succeeded', status: condition, reason: phase === 'failed' ? 'Failed' : 'Succeeded', message: `run ${n} ${phase}` }] } } : {}),
  } as PipelineRun;
}

export const withNumbers = (...runs: PipelineRun[]) => runs.map((run) => ({ run, n: Number(run.metadata.labels!['imagestreams.dev/build-number']) }));

export function fakeBuildConfig(spec: Partial<BuildConfigSpec> = {}, metadata: Partial<BuildConfig['metadata']> = {}, status?: BuildConfig['status']): BuildConfig {
  return {
    apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig',
    metadata: { name: 'app', namespace: 'default', uid: 'uid-1', generation: 1, ...metadata },
    spec: buildConfigSpec('base:latest', 'app:latest', spec),
    ...(status ? { status } : {}),
  } as BuildConfig;
}
