import type { BuildConfigObject } from '../../api/buildconfig';
import type { PipelineRun } from '../../api/pipeline-run';
import type { KubeClient, ResourceClient } from '../../runtime/kube/client';
import { NotFoundError } from '../../runtime/kube/errors';
import type { KubeObject } from '../../runtime/kube/types';
import { BuildError } from './errors';
import { BUILDCONFIG_PLURAL, BUILDCONFIGS, PIPELINERUNS } from '../../api/group';

export type BuildConfigResource = BuildConfigObject & KubeObject;

export const pipelineRuns = (kube: KubeClient, namespace: string): ResourceClient<PipelineRun> =>
  kube.resource<PipelineRun>({ ...PIPELINERUNS, namespace });

export const taskRuns = (kube: KubeClient, namespace: string): ResourceClient =>
  kube.resource({ apiVersion: PIPELINERUNS.apiVersion, resource: 'taskruns', namespace });

/** The BuildConfig, or a BuildError saying whether it or its CRD is missing. */
export async function getBuildConfig(kube: KubeClient, namespace: string, name: string): Promise<BuildConfigResource> {
  try {
    return await kube.resource<BuildConfigResource>({ ...BUILDCONFIGS, namespace }).get(name);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    if (e.status.details?.name === name) throw new BuildError(`BuildConfig "${name}" not found in namespace "${namespace}"`);
    throw new BuildError(`the cluster serves no BuildConfigs (${BUILDCONFIGS.apiVersion} ${BUILDCONFIG_PLURAL}): apply the imagestreams System's CRDs first`);
  }
}

/** A 404 from the PipelineRun API: the namespace is missing, or Tekton is not installed. */
export function pipelineRunsNotFound(e: NotFoundError, namespace: string): BuildError {
  if (e.status.details?.kind === 'namespaces') return new BuildError(`namespace "${namespace}" not found`);
  return new BuildError(`the cluster serves no Tekton PipelineRuns (${PIPELINERUNS.apiVersion}): install Tekton Pipelines, which runs the builds`);
}
