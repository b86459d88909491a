import { BASE_IMAGE_PARAM, REVISION_PARAM, type BuildCause, type BuildConfigObject } from '../../../api/buildconfig';
import type { KubeObject } from '../../kube/types';
import { causeAnnotations } from './build-cause';
import { BUILD_NUMBER_LABEL, BUILDCONFIG_LABEL, runName } from './build-labels';
import { PENDING, type PipelineRun, type RunParam } from './pipeline-run';

export interface NewRun {
  readonly number: number;
  readonly cause: BuildCause;
  /** BASE_IMAGE by digest; undefined keeps the Pipeline's default. */
  readonly baseImage?: string;
  /** Created waiting for admission (Serial policies with a build running or queued). */
  readonly pending: boolean;
}

/**
 * The PipelineRun of build `number`: named `<bc>-<n>`, owned by the BuildConfig (garbage-collected
 * with it), running its Pipeline with BASE_IMAGE and REVISION, as the BuildConfig's spec says.
 */
export function pipelineRunFor(bc: BuildConfigObject & KubeObject, run: NewRun): PipelineRun {
  const { name, namespace = 'default', uid } = bc.metadata;
  const spec = bc.spec;
  const params: RunParam[] = (spec.params ?? []).filter((p) => p.name !== BASE_IMAGE_PARAM && p.name !== REVISION_PARAM).map((p) => ({ name: p.name, value: p.value }));
  if (run.baseImage !== undefined) params.push({ name: BASE_IMAGE_PARAM, value: run.baseImage });
  if (spec.source?.type === 'Git') params.push({ name: REVISION_PARAM, value: revisionOf(bc, run.cause) });
  const podTemplate = spec.podTemplate && Object.keys(spec.podTemplate).length > 0 ? { ...spec.podTemplate } : undefined;
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: {
      name: runName(name, run.number),
      namespace,
      labels: { [BUILDCONFIG_LABEL]: name, [BUILD_NUMBER_LABEL]: String(run.number) },
      annotations: causeAnnotations(run.cause, namespace),
      ownerReferences: [{ apiVersion: bc.apiVersion, kind: bc.kind, name, uid: uid as string, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      pipelineRef: { name: spec.pipelineRef.name },
      params,
      ...(run.pending ? { status: PENDING } : {}),
      ...(spec.timeout ? { timeouts: { pipeline: spec.timeout } } : {}),
      taskRunTemplate: { ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}), ...(podTemplate ? { podTemplate } : {}) },
      ...(spec.workspaces?.length ? { workspaces: spec.workspaces.map((w) => ({ ...w })) } : {}),
    },
  };
}

/** A webhook's commit, else the source's ref ('' = the remote's default branch). */
function revisionOf(bc: BuildConfigObject, cause: BuildCause): string {
  if (cause.type !== 'ImageChange' && cause.type !== 'ConfigChange' && cause.type !== 'Manual' && cause.revision) return cause.revision;
  return bc.spec.source.git?.ref ?? '';
}
